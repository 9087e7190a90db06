using MassTransit;
using MassTransit.Context;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Outbox;

/// <summary>
/// Turns the sends and publishes of one unit of work into outbox rows on that unit's <see cref="DbContext"/>; they
/// commit with it. Messages due now share one group (delivered in the order written); each scheduled message gets a
/// group of its own, due at its scheduled time.
/// </summary>
public sealed class OutboxBuffer(DbContext dbContext, TimeProvider clock)
{
    readonly Lock _lock = new();
    OutboxState? _immediateGroup;

    public Task Add<T>(SendContext<T> context)
        where T : class
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var message = OutboxMessageFactory.Create(context, now);

        lock (_lock)
        {
            if (message.EnqueueTime is { } due && due > now)
            {
                message.OutboxId = NewId.NextGuid();
                dbContext.Add(new OutboxState { OutboxId = message.OutboxId, DueTime = due, Created = now });
            }
            else
            {
                // A group already saved may already be delivered and deleted: later messages start a new one.
                if (_immediateGroup is null || dbContext.Entry(_immediateGroup).State != EntityState.Added)
                {
                    _immediateGroup = new OutboxState { OutboxId = NewId.NextGuid(), DueTime = now, Created = now };
                    dbContext.Add(_immediateGroup);
                }

                message.EnqueueTime = null;
                message.OutboxId = _immediateGroup.OutboxId;
            }

            dbContext.Add(message);
        }

        return Task.CompletedTask;
    }
}

static class OutboxMessageFactory
{
    const string DelayProperty = "Delay";

    public static OutboxMessage Create<T>(SendContext<T> context, DateTime now)
        where T : class
    {
        if (context.MessageId is null)
            throw new MessageException(typeof(T), "The outbox needs a MessageId on every message.");

        IDictionary<string, object>? properties = null;
        if (context is TransportSendContext<T> transportContext)
        {
            properties = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
            transportContext.WritePropertiesTo(properties);

            // The delay is kept as EnqueueTime: the outbox holds the message until due and then sends it plainly.
            // Left in the properties, it would make RabbitMQ declare a delayed exchange, which this broker lacks.
            properties.Remove(DelayProperty);
        }

        var message = OutboxMessage.Create(context.MessageId.Value, context.ConversationId, context.CorrelationId, context.InitiatorId,
            context.RequestId, context.SourceAddress, context.DestinationAddress, context.ResponseAddress, context.FaultAddress,
            context.SentTime, now,
            contentType: context.ContentType?.ToString() ?? context.Serialization.DefaultContentType.ToString(),
            messageTypes: context.SupportedMessageTypes,
            body: context.Serializer.GetMessageBody(context),
            headers: context.Headers.GetAll(),
            expirationTime: context.TimeToLive is { } ttl ? now + ttl : null,
            enqueueTime: context.Delay is { } delay && delay > TimeSpan.Zero ? now + delay : null,
            properties);
        message.SchedulingTokenId = context.ScheduledMessageId;

        return message;
    }
}
