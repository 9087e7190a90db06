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

    /// <summary>
    /// The one place a row is put together, for a message sent inside a unit of work (<c>OutboxBuffer</c>) and for a
    /// failed one stored for redelivery (<c>DurableRedelivery</c>): the envelope as its sender set it, the body as text,
    /// the headers and transport properties as JSON, and <paramref name="sentTime"/> defaulting to <paramref name="now"/>.
    /// </summary>
    internal static OutboxMessage Create(Guid messageId, Guid? conversationId, Guid? correlationId, Guid? initiatorId, Guid? requestId,
        Uri? sourceAddress, Uri? destinationAddress, Uri? responseAddress, Uri? faultAddress, DateTime? sentTime, DateTime now,
        string contentType, IEnumerable<string> messageTypes, MessageBody body, IEnumerable<KeyValuePair<string, object>> headers,
        DateTime? expirationTime, DateTime? enqueueTime, IDictionary<string, object>? properties = null)
    {
        var serializer = SystemTextJsonMessageSerializer.Instance;
        return new OutboxMessage
        {
            MessageId = messageId,
            ConversationId = conversationId,
            CorrelationId = correlationId,
            InitiatorId = initiatorId,
            RequestId = requestId,
            SourceAddress = sourceAddress,
            DestinationAddress = destinationAddress,
            ResponseAddress = responseAddress,
            FaultAddress = faultAddress,
            SentTime = sentTime ?? now,
            ContentType = contentType,
            MessageType = string.Join(";", messageTypes),
            Body = body.GetString(),
            Headers = serializer.SerializeDictionary(headers),
            Properties = properties is null ? null : serializer.SerializeDictionary(properties),
            ExpirationTime = expirationTime,
            EnqueueTime = enqueueTime,
        };
    }

    /// <summary>Parses the stored headers and transport properties; call once after loading.</summary>
    internal void Deserialize(IObjectDeserializer deserializer)
    {
        var headers = deserializer.DeserializeDictionary<object?>(Headers);
        _headers = headers is null ? EmptyHeaders.Instance : new DictionarySendHeaders(headers!);
        _properties = deserializer.DeserializeDictionary<object>(Properties) ?? EmptyProperties;
    }
}
