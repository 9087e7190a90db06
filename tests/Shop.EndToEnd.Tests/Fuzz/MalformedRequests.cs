using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace Shop.EndToEnd.Tests.Fuzz;

/// <summary>How one generated request is broken.</summary>
public enum Mutation
{
    MissingField,
    ExtraField,
    WrongType,
    NumberAsString,
    ControlCharacter,
    OverlongString,
    NotJson,
    NotAnObject,
    WrongContentType,
    OversizedBody,
    HostilePathValue,
    HostileQueryValue,
    MissingQueryValue,
    RepeatedQueryValue,
}

/// <summary>A generated malformed request: which operation, how it is broken, where (Pick), and with what text.</summary>
public sealed record FuzzCase(int Operation, Mutation Mutation, int Pick, string Text);

/// <summary>
/// Builds a malformed request for an OpenAPI operation from a <see cref="FuzzCase"/>: a well-formed request (body from
/// the schema, a valid-looking path) broken in exactly one way that no correct API may accept. A mutation the
/// operation has no place for (a query value for an operation without a query) falls back to one it has.
/// </summary>
public static class MalformedRequests
{
    /// <summary>Any char up to U+07FF, NUL and control characters included (no surrogates: a URI or JSON writer refuses them).</summary>
    static readonly Gen<string> Text = Gen.String[Gen.Char['\0', '\u07FF'], 0, 40];

    public static Gen<FuzzCase> Cases(int operations) =>
        Gen.Select(Gen.Int[0, operations - 1], Gen.Enum<Mutation>(), Gen.Int[0, 1000], Text,
            (operation, mutation, pick, text) => new FuzzCase(operation, mutation, pick, text));

    /// <summary>Chars no SKU, id or other path value of the shop may contain; one is always added to a hostile path value.</summary>
    static readonly string[] Poison = [" ", "\u0001", "\u007F", "é", "!", "\u0085x", "%", "'"];

    static readonly JsonNode?[] WrongTypes = [JsonValue.Create(true), null, new JsonArray(), new JsonObject(), JsonValue.Create(1.5), JsonValue.Create("1")];

    public static HttpRequestMessage Build(OpenApiOperation operation, FuzzCase fuzz, out string description)
    {
        var mutation = Applicable(operation, fuzz.Mutation);
        var body = OpenApiOperations.Instance(operation.BodySchema, operation.Document);
        var path = operation.PathTemplate;
        var pathValues = operation.PathParameters.ToDictionary(x => x, x => x == "id" ? Guid.NewGuid().ToString() : "FUZZ-1");
        var query = operation.QueryParameters.Select(x => (Name: x, Value: Guid.NewGuid().ToString())).ToList();
        string? rawBody = null;
        var contentType = "application/json";

        var fields = body is null ? [] : Fields(body).ToList();
        var field = fields.Count > 0 ? fields[fuzz.Pick % fields.Count] : default;
        var textFields = fields.Where(x => x.Parent[x.Key] is JsonValue value && value.TryGetValue<string>(out _)).ToList();
        var numberFields = fields.Where(x => x.Parent[x.Key] is JsonValue value && value.TryGetValue<int>(out _)).ToList();
        switch (mutation)
        {
            case Mutation.MissingField:
                field.Parent.Remove(field.Key);
                break;
            case Mutation.ExtraField:
                (fields.Count > 0 ? field.Parent : body!.AsObject())[$"extra{fuzz.Pick}"] = fuzz.Text;
                break;
            case Mutation.WrongType:
                field.Parent[field.Key] = WrongTypes[fuzz.Pick % WrongTypes.Length]?.DeepClone() is { } wrong && !SameType(field.Parent[field.Key], wrong)
                    ? wrong
                    : JsonValue.Create(false);
                break;
            case Mutation.NumberAsString when numberFields.Count > 0:
                var number = numberFields[fuzz.Pick % numberFields.Count];
                number.Parent[number.Key] = "1";
                break;
            case Mutation.ControlCharacter when textFields.Count > 0:
                var text = textFields[fuzz.Pick % textFields.Count];
                // In the middle: whitespace controls at either end would be trimmed away, leaving valid text.
                text.Parent[text.Key] = $"A{fuzz.Text}{(char)(fuzz.Pick % 32)}B";
                break;
            case Mutation.OverlongString when textFields.Count > 0:
                var overlong = textFields[fuzz.Pick % textFields.Count];
                overlong.Parent[overlong.Key] = new string('A', 300 + fuzz.Pick) + fuzz.Text;
                break;
            case Mutation.NumberAsString or Mutation.ControlCharacter or Mutation.OverlongString:
                body!.AsObject()[$"unknown{fuzz.Pick}"] = fuzz.Text;
                break;
            case Mutation.NotJson:
                rawBody = fuzz.Pick % 3 == 0 ? "" : fuzz.Pick % 3 == 1 ? fuzz.Text : body!.ToJsonString()[..^1];
                break;
            case Mutation.NotAnObject:
                rawBody = (fuzz.Pick % 4) switch { 0 => "null", 1 => "[]", 2 => "42", _ => "\"text\"" };
                break;
            case Mutation.WrongContentType:
                contentType = fuzz.Pick % 2 == 0 ? "text/plain" : "application/xml";
                break;
            case Mutation.OversizedBody:
                rawBody = $"{{\"pad\":\"{new string('A', 70 * 1024)}\"}}";
                break;
            case Mutation.HostilePathValue:
                var name = operation.PathParameters[fuzz.Pick % operation.PathParameters.Count];
                var value = fuzz.Pick % 5 == 0 ? new string('A', 65 + fuzz.Pick) : fuzz.Text;
                // No NUL in a path: Kestrel refuses it in the request line itself, before any application code.
                pathValues[name] = value.Replace("\0", "", StringComparison.Ordinal) + Poison[fuzz.Pick % Poison.Length];
                break;
            case Mutation.HostileQueryValue:
                query[fuzz.Pick % query.Count] = (query[fuzz.Pick % query.Count].Name, fuzz.Text + Poison[fuzz.Pick % Poison.Length]);
                break;
            case Mutation.MissingQueryValue:
                query.RemoveAt(fuzz.Pick % query.Count);
                break;
            case Mutation.RepeatedQueryValue:
                query.Add((query[fuzz.Pick % query.Count].Name, Guid.NewGuid().ToString()));
                break;
        }

        foreach (var (name, value) in pathValues)
            path = path.Replace($"{{{name}}}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        if (query.Count > 0)
            path += "?" + string.Join("&", query.Select(x => $"{Uri.EscapeDataString(x.Name)}={Uri.EscapeDataString(x.Value)}"));

        var request = new HttpRequestMessage(operation.Method, path);
        var json = rawBody ?? body?.ToJsonString();
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, contentType);
        description = $"{operation} as {mutation}: {operation.Method} {path} {Shorten(json)}";
        return request;
    }

    /// <summary>The mutation, or the nearest one this operation has a place for.</summary>
    static Mutation Applicable(OpenApiOperation operation, Mutation mutation)
    {
        var hasBody = operation.BodySchema is not null;
        var isQuery = mutation is Mutation.HostileQueryValue or Mutation.MissingQueryValue or Mutation.RepeatedQueryValue;
        if (isQuery && operation.QueryParameters.Count > 0)
            return mutation;
        if (mutation == Mutation.HostilePathValue && operation.PathParameters.Count > 0)
            return mutation;
        if (!isQuery && mutation != Mutation.HostilePathValue && hasBody)
            return mutation;
        return operation.PathParameters.Count > 0 ? Mutation.HostilePathValue
            : operation.QueryParameters.Count > 0 ? Mutation.HostileQueryValue
            : Mutation.ExtraField;
    }

    static IEnumerable<(JsonObject Parent, string Key)> Fields(JsonNode node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    yield return (obj, key);
                    if (child is not null)
                    {
                        foreach (var nested in Fields(child))
                            yield return nested;
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array.Where(x => x is not null))
                {
                    foreach (var nested in Fields(item!))
                        yield return nested;
                }

                break;
        }
    }

    static bool SameType(JsonNode? current, JsonNode replacement) => current?.GetValueKind() == replacement.GetValueKind();

    static string Shorten(string? text) => text is null ? "(no body)" : text.Length <= 200 ? text : $"{text[..200]}… ({text.Length} chars)";
}
