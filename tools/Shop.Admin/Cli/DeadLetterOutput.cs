using System.Text.Json;
using System.Text.Json.Nodes;
using Shop.Admin.DeadLetters;

namespace Shop.Admin.Cli;

/// <summary>How dead letters look: a table or a detail page for people, JSON (camelCase) for scripts.</summary>
public static class DeadLetterOutput
{
    const int ReasonWidth = 80;

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void WriteTable(TextWriter output, IReadOnlyList<DeadLetter> letters, DateTimeOffset now)
    {
        TextTable.Write(output, ["MESSAGE ID", "QUEUE", "TYPE", "ORDER ID", "AGE", "REASON"],
            letters.Select(x => (IReadOnlyList<string>)
            [
                x.Id, x.SourceQueue, x.MessageType ?? "?", x.OrderId ?? "-",
                x.AgeAt(now) is { } age ? Durations.Format(age) : "?",
                TextTable.Fit(Reason(x), ReasonWidth),
            ]).ToList());
    }

    public static void WriteDetails(TextWriter output, DeadLetter letter, DateTimeOffset now)
    {
        TextTable.Write(output, ["FIELD", "VALUE"],
        [
            ["Message id", letter.Id],
            ["Error queue", letter.ErrorQueue],
            ["Re-drive to", letter.SourceQueue],
            ["Message type", string.Join(", ", letter.MessageTypes.DefaultIfEmpty("?"))],
            ["Order id", letter.OrderId ?? "-"],
            ["Faulted at", letter.FaultedAt?.ToString("u") ?? "?"],
            ["Age", letter.AgeAt(now) is { } age ? Durations.Format(age) : "?"],
            ["Reason", TextTable.Fit(Reason(letter), 200)],
            ["Content type", letter.ContentType ?? "?"],
        ]);
        output.WriteLine();
        output.WriteLine("Headers:");
        foreach (var (key, value) in letter.Headers.OrderBy(x => x.Key, StringComparer.Ordinal))
            output.WriteLine($"  {key}: {value.ReplaceLineEndings(Environment.NewLine + "    ")}");
        output.WriteLine();
        output.WriteLine("Body:");
        output.WriteLine(PrettyBody(letter.Body));
    }

    public static void WriteJson<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, Json));

    public static object Summary(DeadLetter letter, DateTimeOffset now) => new
    {
        id = letter.Id,
        queue = letter.SourceQueue,
        errorQueue = letter.ErrorQueue,
        messageType = letter.MessageType,
        orderId = letter.OrderId,
        exceptionType = letter.ExceptionType,
        reason = letter.Reason,
        faultedAt = letter.FaultedAt,
        ageSeconds = letter.AgeAt(now) is { } age ? (long?)age.TotalSeconds : null,
    };

    public static object Details(DeadLetter letter, DateTimeOffset now) => new
    {
        summary = Summary(letter, now),
        messageTypes = letter.MessageTypes,
        contentType = letter.ContentType,
        headers = letter.Headers,
        body = ParseBody(letter.Body) ?? JsonValue.Create(letter.Body),
    };

    static string Reason(DeadLetter letter) =>
        (letter.ExceptionType, letter.Reason) switch
        {
            (null, null) => "?",
            (null, { } reason) => reason,
            ({ } type, null) => type,
            ({ } type, { } reason) => $"{type}: {reason}",
        };

    static string PrettyBody(string body) => ParseBody(body)?.ToJsonString(Json) ?? body;

    static JsonNode? ParseBody(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
