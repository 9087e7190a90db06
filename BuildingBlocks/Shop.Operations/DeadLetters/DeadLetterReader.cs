using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Shop.Operations.DeadLetters;

/// <summary>
/// Decodes a message that MassTransit moved to an error queue: the fault from the <c>MT-Fault-*</c> headers it adds on
/// the move, the type and order id from the JSON envelope (<c>messageType</c>, <c>message.orderId</c>).
/// </summary>
public static class DeadLetterReader
{
    const string UrnPrefix = "urn:message:";

    public static DeadLetter Read(string errorQueue, IReadOnlyBasicProperties properties, ReadOnlySpan<byte> body)
    {
        var headers = (properties.Headers ?? new Dictionary<string, object?>())
            .ToDictionary(x => x.Key, x => Decode(x.Value), StringComparer.OrdinalIgnoreCase);
        var text = Encoding.UTF8.GetString(body);
        var envelope = Envelope.Parse(text);

        var messageTypes = envelope.MessageTypes.Count > 0
            ? envelope.MessageTypes
            : Header(headers, "MT-MessageType") is { } headerType ? headerType.Split(';') : [];

        // MassTransit names the consumed .NET type in the fault headers when a consumer failed; else the envelope's URN.
        var displayType = Header(headers, FaultHeaders.MessageType) ?? messageTypes.FirstOrDefault();

        return new DeadLetter(
            Id: properties.MessageId ?? envelope.MessageId ?? $"sha256:{Convert.ToHexStringLower(SHA256.HashData(body))[..16]}",
            ErrorQueue: errorQueue,
            SourceQueue: SourceQueue(errorQueue, headers.GetValueOrDefault(FaultHeaders.InputAddress)),
            MessageType: displayType is null ? null : ShortTypeName(displayType),
            MessageTypes: messageTypes,
            OrderId: envelope.OrderId,
            ExceptionType: headers.GetValueOrDefault(FaultHeaders.ExceptionType),
            Reason: headers.GetValueOrDefault(FaultHeaders.Message),
            FaultedAt: ParseTimestamp(headers.GetValueOrDefault(FaultHeaders.Timestamp)) ?? envelope.SentTime,
            ContentType: properties.ContentType ?? headers.GetValueOrDefault("Content-Type"),
            Headers: headers,
            Body: text);
    }

    /// <summary>
    /// A type's short name: <c>Shop.Contracts.ChargePayment</c> or <c>urn:message:Shop.Contracts:ChargePayment</c> →
    /// <c>ChargePayment</c>; a versioned URN such as <c>urn:message:shop:payments:charge-payment:v1</c> →
    /// <c>charge-payment</c>. Generic arguments are kept.
    /// </summary>
    public static string ShortTypeName(string type)
    {
        var name = type.StartsWith(UrnPrefix, StringComparison.Ordinal) ? type[UrnPrefix.Length..] : type;
        var generic = name.IndexOfAny(['[', '<']);
        var (head, arguments) = generic < 0 ? (name, "") : (name[..generic], name[generic..]);

        var segments = head.Split(':');
        var last = segments.Length > 1 && IsVersion(segments[^1]) ? segments[^2] : segments[^1];
        return last[(last.LastIndexOf('.') + 1)..] + arguments;
    }

    static bool IsVersion(string segment) => segment.Length > 1 && segment[0] == 'v' && segment[1..].All(char.IsAsciiDigit);

    /// <summary>The queue named by MassTransit's <c>MT-Fault-InputAddress</c> (its last path segment), else the error queue's source.</summary>
    static string SourceQueue(string errorQueue, string? inputAddress) =>
        Uri.TryCreate(inputAddress, UriKind.Absolute, out var address) && address.Segments.Length > 1
            ? Uri.UnescapeDataString(address.Segments[^1].TrimEnd('/'))
            : ErrorQueues.SourceOf(errorQueue);

    static string? Header(Dictionary<string, string> headers, string name) =>
        headers.GetValueOrDefault(name) is { Length: > 0 } value ? value : null;

    static DateTimeOffset? ParseTimestamp(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp)
            ? timestamp.ToUniversalTime()
            : null;

    /// <summary>AMQP header values as text: long strings arrive as bytes, timestamps as seconds since the epoch.</summary>
    static string Decode(object? value) => value switch
    {
        null => "",
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        AmqpTimestamp timestamp => DateTimeOffset.FromUnixTimeSeconds(timestamp.UnixTime).ToString("O", CultureInfo.InvariantCulture),
        IDictionary table => "{" + string.Join(", ", table.Keys.Cast<object>().Select(key => $"{key}: {Decode(table[key])}")) + "}",
        IEnumerable list and not string => "[" + string.Join(", ", list.Cast<object?>().Select(Decode)) + "]",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The parts of a MassTransit JSON envelope the tool shows; a raw JSON body is read as the message itself.</summary>
    sealed record Envelope(string? MessageId, IReadOnlyList<string> MessageTypes, string? OrderId, DateTimeOffset? SentTime)
    {
        static readonly Envelope Empty = new(null, [], null, null);

        public static Envelope Parse(string body)
        {
            try
            {
                using var json = JsonDocument.Parse(body);
                var root = json.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    return Empty;

                var message = Property(root, "message") is { ValueKind: JsonValueKind.Object } inner ? inner : root;
                var types = Property(root, "messageType") is { ValueKind: JsonValueKind.Array } array
                    ? array.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                    : [];
                return new Envelope(
                    Text(Property(root, "messageId")),
                    types,
                    Text(Property(message, "orderId")),
                    Property(root, "sentTime") is { ValueKind: JsonValueKind.String } sent && sent.TryGetDateTimeOffset(out var at) ? at : null);
            }
            catch (JsonException)
            {
                return Empty;
            }
        }

        static JsonElement? Property(JsonElement element, string name) =>
            element.EnumerateObject().Where(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))
                .Select(x => (JsonElement?)x.Value).FirstOrDefault();

        static string? Text(JsonElement? element) => element switch
        {
            { ValueKind: JsonValueKind.String } value => value.GetString(),
            { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
            _ => null,
        };
    }
}

/// <summary>The headers MassTransit 8 adds when it moves a faulted message to the error queue.</summary>
public static class FaultHeaders
{
    public const string Prefix = "MT-Fault-";
    public const string Reason = "MT-Reason";
    public const string HostPrefix = "MT-Host-";
    public const string ExceptionType = "MT-Fault-ExceptionType";
    public const string Message = "MT-Fault-Message";
    public const string MessageType = "MT-Fault-MessageType";
    public const string InputAddress = "MT-Fault-InputAddress";
    public const string Timestamp = "MT-Fault-Timestamp";

    /// <summary>The redelivery attempt counter, which a re-drive resets so the message gets its endpoint's full retry policy again.</summary>
    public const string RedeliveryCount = "MT-Redelivery-Count";
}
