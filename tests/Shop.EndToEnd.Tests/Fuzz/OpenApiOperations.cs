using System.Text.Json.Nodes;

namespace Shop.EndToEnd.Tests.Fuzz;

/// <summary>One operation as a service's OpenAPI document describes it: where it is, its parameters, its body's schema.</summary>
public sealed record OpenApiOperation(
    string Service,
    HttpClient Client,
    HttpMethod Method,
    string PathTemplate,
    IReadOnlyList<string> PathParameters,
    IReadOnlyList<string> QueryParameters,
    JsonNode? BodySchema,
    JsonObject Document)
{
    public override string ToString() => $"{Service} {Method} {PathTemplate}";
}

/// <summary>Reads /openapi/v1.json of a running service and lists its operations (health and metrics are not in it).</summary>
public static class OpenApiOperations
{
    public static async Task<IReadOnlyList<OpenApiOperation>> ReadAsync(string service, HttpClient client)
    {
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!.AsObject();
        var operations = new List<OpenApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operationNode) in item!.AsObject())
            {
                if (method is not ("get" or "put" or "post" or "delete" or "patch"))
                    continue;
                var operation = operationNode!.AsObject();
                var parameters = operation["parameters"]?.AsArray().Select(x => x!.AsObject()).ToList() ?? [];
                operations.Add(new OpenApiOperation(
                    service,
                    client,
                    new HttpMethod(method.ToUpperInvariant()),
                    path,
                    [.. parameters.Where(x => (string?)x["in"] == "path").Select(x => (string)x["name"]!)],
                    [.. parameters.Where(x => (string?)x["in"] == "query").Select(x => (string)x["name"]!)],
                    operation["requestBody"]?["content"]?["application/json"]?["schema"],
                    document));
            }
        }

        return operations;
    }

    /// <summary>A well-formed instance of <paramref name="schema"/>: every property present, each of its declared type.</summary>
    public static JsonNode? Instance(JsonNode? schema, JsonObject document, int depth = 0)
    {
        schema = Resolve(schema, document);
        if (schema is null || depth > 8)
            return null;

        var type = TypeOf(schema);
        switch (type)
        {
            case "string":
                return (string?)schema["format"] == "uuid" ? Guid.NewGuid().ToString() : "FUZZ-1";
            case "integer":
            case "number":
                return 1;
            case "boolean":
                return true;
            case "array":
                return new JsonArray(Instance(schema["items"], document, depth + 1));
            default:
                var instance = new JsonObject();
                foreach (var (name, property) in schema["properties"]?.AsObject() ?? [])
                    instance[name] = Instance(property, document, depth + 1);
                return instance;
        }
    }

    /// <summary>The schema a <c>$ref</c> (or the first non-null branch of anyOf/oneOf) points at.</summary>
    public static JsonNode? Resolve(JsonNode? schema, JsonObject document)
    {
        for (var i = 0; i < 16 && schema is not null; i++)
        {
            if ((string?)schema["$ref"] is { } reference)
            {
                schema = reference.TrimStart('#', '/').Split('/').Aggregate((JsonNode?)document, (node, segment) => node?[segment]);
                continue;
            }

            if ((schema["anyOf"] ?? schema["oneOf"]) is JsonArray branches)
            {
                schema = branches.FirstOrDefault(x => TypeOf(Resolve(x, document)) != "null");
                continue;
            }

            return schema;
        }

        return schema;
    }

    /// <summary>The declared type, ignoring "null" in a type list (<c>["null", "string"]</c>); "object" when there is none.</summary>
    public static string TypeOf(JsonNode? schema) => schema?["type"] switch
    {
        JsonArray types => types.Select(x => (string?)x).FirstOrDefault(x => x is not null and not "null") ?? "null",
        JsonValue value => (string?)value ?? "object",
        _ => "object",
    };
}
