using System.Text.Json.Nodes;

namespace Shop.Analytics.Tests.Contracts;

/// <summary>Confluent's compatibility levels (schema-registry docs); *_TRANSITIVE checks against every earlier version.</summary>
public enum Compatibility
{
    /// <summary>New readers read old data (upgrade consumers first); what a log kept forever needs of its readers.</summary>
    Backward,

    /// <summary>Old readers read new data (upgrade producers first).</summary>
    Forward,

    /// <summary>Both.</summary>
    Full,
}

/// <summary>
/// Hand-coded compatibility rules for the schemas <see cref="ContractSchemas"/> generates (.NET has no checker:
/// NJsonSchema #309). The content model is open (readers ignore unknown properties, as System.Text.Json does), so adding
/// an optional property is compatible both ways. A reader breaks on data that lacks a property it requires, or that
/// holds another type where it expects one.
/// </summary>
public static class SchemaCompatibility
{
    /// <summary>What breaks when a reader with <paramref name="reader"/> reads data written with <paramref name="writer"/>; empty when nothing.</summary>
    public static IReadOnlyList<string> ReadBreaks(JsonObject reader, JsonObject writer, string path = "$")
    {
        var breaks = new List<string>();
        var readerTypes = Types(reader);
        var writerTypes = Types(writer);
        // The writer may write a type the reader does not accept (integer is a number).
        foreach (var type in writerTypes.Where(t => !readerTypes.Contains(t) && !(t == "integer" && readerTypes.Contains("number"))))
            breaks.Add($"{path}: written as {type}, read as {string.Join("|", readerTypes)}");

        var readerProperties = reader["properties"]?.AsObject();
        var writerProperties = writer["properties"]?.AsObject();
        var writerRequired = Required(writer);
        foreach (var required in Required(reader))
        {
            if (writerProperties?.ContainsKey(required) != true)
                breaks.Add($"{path}.{required}: required by the reader, never written");
            else if (!writerRequired.Contains(required))
                breaks.Add($"{path}.{required}: required by the reader, optional for the writer");
        }

        if (readerProperties is not null && writerProperties is not null)
        {
            foreach (var (name, schema) in readerProperties)
            {
                if (writerProperties[name] is JsonObject written && schema is JsonObject read)
                    breaks.AddRange(ReadBreaks(read, written, $"{path}.{name}"));
            }
        }

        if (reader["items"] is JsonObject readItems && writer["items"] is JsonObject writtenItems)
            breaks.AddRange(ReadBreaks(readItems, writtenItems, $"{path}[]"));
        return breaks;
    }

    /// <summary>What is incompatible between an earlier and a later schema at <paramref name="level"/>.</summary>
    public static IReadOnlyList<string> Check(JsonObject earlier, JsonObject later, Compatibility level) => level switch
    {
        Compatibility.Backward => ReadBreaks(later, earlier).Select(x => $"BACKWARD {x}").ToList(),
        Compatibility.Forward => ReadBreaks(earlier, later).Select(x => $"FORWARD {x}").ToList(),
        _ => [.. Check(earlier, later, Compatibility.Backward), .. Check(earlier, later, Compatibility.Forward)],
    };

    /// <summary>The *_TRANSITIVE form: the latest against every earlier version.</summary>
    public static IReadOnlyList<string> CheckTransitive(IReadOnlyList<JsonObject> history, JsonObject latest, Compatibility level) =>
        history.SelectMany((earlier, i) => Check(earlier, latest, level).Select(x => $"v{i + 1}: {x}")).ToList();

    static HashSet<string> Types(JsonObject schema) => schema["type"] switch
    {
        JsonValue value => [value.GetValue<string>()],
        JsonArray array => [.. array.Select(x => x!.GetValue<string>())],
        _ => [],
    };

    static HashSet<string> Required(JsonObject schema) =>
        schema["required"] is JsonArray required ? [.. required.Select(x => x!.GetValue<string>())] : [];
}
