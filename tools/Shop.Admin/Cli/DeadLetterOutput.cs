using System.Text.Json;
using System.Text.Json.Nodes;
using Shop.Operations.DeadLetters;

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
                .. new[]
                {
                    x.Id, x.SourceQueue, x.MessageType ?? "?", x.OrderId ?? "-",
                    x.AgeAt(now) is { } age ? Durations.Format(age) : "?",
                    TextTable.Fit(Reason(x), ReasonWidth),
                }.Select(cell => Terminal.Escape(cell)),
            ]).ToList());
    }

    public static void WriteDetails(TextWriter output, DeadLetter letter, DateTimeOffset now)
    {
        // Everything printed comes from the message, so anyone who could publish it wrote it: escaped, token masked.
        IReadOnlyList<IReadOnlyList<string>> fields =
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
        ];
        TextTable.Write(output, ["FIELD", "VALUE"], fields.Select(row => (IReadOnlyList<string>)[.. row.Select(cell => Terminal.Escape(cell))]).ToList());
        output.WriteLine();
        output.WriteLine("Headers:");
        foreach (var (key, value) in letter.Headers.OrderBy(x => x.Key, StringComparer.Ordinal))
            output.WriteLine($"  {Terminal.Escape(key)}: {Terminal.Escape(value)}");
        output.WriteLine();
        output.WriteLine("Body:");
        output.WriteLine(Terminal.Escape(PrettyBody(letter.Body), keepLineFeeds: true));
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
        body = ParseBody(letter.Body) ?? JsonValue.Create(MaskUnparsed(letter.Body)),
    };

    /// <summary>What replaces a payment token: the gateway token charges the customer, so it is never printed.</summary>
    public const string Masked = "***";

    static readonly System.Text.RegularExpressions.Regex TokenInText = new(
        "(\"paymentToken\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    /// <summary>Every <c>paymentToken</c> property, at any depth and in any letter case, masked.</summary>
    static void Mask(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(x => x.Key).ToList())
                {
                    if (string.Equals(name, "paymentToken", StringComparison.OrdinalIgnoreCase))
                        obj[name] = Masked;
                    else
                        Mask(obj[name]);
                }
                break;
            case JsonArray array:
                foreach (var item in array)
                    Mask(item);
                break;
        }
    }

    /// <summary>A body that is not JSON (or not valid JSON) still gets any <c>"paymentToken": "…"</c> in it masked.</summary>
    static string MaskUnparsed(string body) => TokenInText.Replace(body, $"$1\"{Masked}\"");

    static string Reason(DeadLetter letter) =>
        (letter.ExceptionType, letter.Reason) switch
        {
            (null, null) => "?",
            (null, { } reason) => reason,
            ({ } type, null) => type,
            ({ } type, { } reason) => $"{type}: {reason}",
        };

    static string PrettyBody(string body) => ParseBody(body)?.ToJsonString(Json) ?? MaskUnparsed(body);

    static JsonNode? ParseBody(string body)
    {
        try
        {
            var node = JsonNode.Parse(body);
            Mask(node);
            return node;
        }
        // A duplicate property name is an ArgumentException, not a JsonException: any body that is no clean JSON is text.
        catch (Exception exception) when (exception is JsonException or ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }
}
