using System.Diagnostics.CodeAnalysis;
using System.Net.Mime;
using MassTransit;
using MassTransit.Context;
using MassTransit.Middleware;
using MassTransit.Transports;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Delivery;

/// <summary>
/// Rebuilds the send of a stored outbox message: same message id, envelope, addresses, headers and transport
/// properties as when it was written, and no delay. Stored headers are applied last, so a header the outbox changed
/// on purpose (the redelivery count) wins over the copy inside the original envelope.
/// </summary>
sealed class StoredMessageSendPipe(OutboxMessage message) : IPipe<SendContext>
{
    public Task Send(SendContext context)
    {
        var stored = (MessageContext)message;
        var deserializer = context.Serialization.GetMessageDeserializer(new ContentType(message.ContentType));
        var body = deserializer.GetMessageBody(message.Body);
        var serializerContext = deserializer.Deserialize(body, new JsonTransportHeaders(new StoredHeaderProvider(message)), message.DestinationAddress);

        context.MessageId = message.MessageId;
        context.RequestId = message.RequestId;
        context.ConversationId = message.ConversationId;
        context.CorrelationId = message.CorrelationId;
        context.InitiatorId = message.InitiatorId;
        context.SourceAddress = message.SourceAddress;
        context.ResponseAddress = message.ResponseAddress;
        context.FaultAddress = message.FaultAddress;
        context.SupportedMessageTypes = string.IsNullOrWhiteSpace(message.MessageType)
            ? serializerContext.SupportedMessageTypes
            : message.MessageType.Split(';');

        if (message.ExpirationTime is { } expiration)
            context.TimeToLive = expiration - DateTime.UtcNow;

        foreach (var header in serializerContext.Headers.GetAll())
            context.Headers.Set(header.Key, header.Value);

        foreach (var header in stored.Headers.GetAll())
        {
            // Shop-*: the signature of a redelivered message, from which the signer carries its original signer over.
            if (header.Key.StartsWith("MT-", StringComparison.Ordinal) || header.Key.StartsWith("Shop-", StringComparison.Ordinal)
                || header.Key == "traceparent" || header.Key == "tracestate")
                context.Headers.Set(header.Key, header.Value);
        }

        if (context is TransportSendContext transportContext && ((OutboxMessageContext)message).Properties.Count > 0)
            transportContext.ReadPropertiesFrom(((OutboxMessageContext)message).Properties);

        // Never a broker-side delay: a scheduled message already waited in the outbox until due.
        context.Delay = null;
        context.Serializer = serializerContext.GetMessageSerializer();
        return Task.CompletedTask;
    }

    public void Probe(ProbeContext context)
    {
    }

    sealed class StoredHeaderProvider(OutboxMessage message) : IHeaderProvider
    {
        readonly Headers _headers = ((MessageContext)message).Headers;

        public IEnumerable<KeyValuePair<string, object>> GetAll()
        {
            yield return new KeyValuePair<string, object>(MessageHeaders.MessageId, message.MessageId);
            yield return new KeyValuePair<string, object>(MessageHeaders.ContentType, message.ContentType);
            foreach (var header in _headers.GetAll())
            {
                if (header.Key is not (MessageHeaders.MessageId or MessageHeaders.ContentType))
                    yield return header;
            }
        }

        public bool TryGetHeader(string key, [NotNullWhen(true)] out object? value)
        {
            if (MessageHeaders.MessageId.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                value = message.MessageId;
                return true;
            }

            if (MessageHeaders.ContentType.Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                value = message.ContentType;
                return true;
            }

            return _headers.TryGetHeader(key, out value);
        }
    }
}
