using MassTransit;
using MassTransit.Metadata;
using MassTransit.Middleware;
using MassTransit.Serialization;

namespace Shop.Messaging.Storage;

/// <summary>
/// A message that was published or sent inside a unit of work and waits for delivery. It is the serialized envelope
/// plus the transport metadata needed to send it again exactly as it was written.
/// </summary>
public sealed class OutboxMessage : OutboxMessageContext
{
    Headers? _headers;
    IReadOnlyDictionary<string, object>? _properties;

    public long SequenceNumber { get; set; }
    public Guid OutboxId { get; set; }

    /// <summary>Not before this time (UTC); null to send at once. Scheduled messages and delayed redeliveries set it.</summary>
    public DateTime? EnqueueTime { get; set; }

    /// <summary>
    /// The scheduling token of a scheduled message (a saga timeout); cancelling the schedule deletes the row by it.
    /// </summary>
    public Guid? SchedulingTokenId { get; set; }

    public DateTime SentTime { get; set; }
    public string? Headers { get; set; }
    public string? Properties { get; set; }
    public Guid MessageId { get; set; }
    public string ContentType { get; set; } = null!;
    public string MessageType { get; set; } = null!;
    public string Body { get; set; } = null!;
    public Guid? ConversationId { get; set; }
    public Guid? CorrelationId { get; set; }
    public Guid? InitiatorId { get; set; }
    public Guid? RequestId { get; set; }
    public Uri? SourceAddress { get; set; }
    public Uri? DestinationAddress { get; set; }
    public Uri? ResponseAddress { get; set; }
    public Uri? FaultAddress { get; set; }
    public DateTime? ExpirationTime { get; set; }

    Guid? MessageContext.MessageId => MessageId;
    DateTime? MessageContext.SentTime => SentTime;
    Headers MessageContext.Headers => _headers ?? EmptyHeaders.Instance;
    HostInfo MessageContext.Host => HostMetadataCache.Host;
    IReadOnlyDictionary<string, object> OutboxMessageContext.Properties => _properties ?? EmptyProperties;

    static readonly IReadOnlyDictionary<string, object> EmptyProperties = new Dictionary<string, object>();

    /// <summary>Parses the stored headers and transport properties; call once after loading.</summary>
    internal void Deserialize(IObjectDeserializer deserializer)
    {
        var headers = deserializer.DeserializeDictionary<object?>(Headers);
        _headers = headers is null ? EmptyHeaders.Instance : new DictionarySendHeaders(headers!);
        _properties = deserializer.DeserializeDictionary<object>(Properties) ?? EmptyProperties;
    }
}
