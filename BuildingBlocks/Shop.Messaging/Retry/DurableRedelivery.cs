using MassTransit;
using MassTransit.Configuration;
using MassTransit.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Shop.Data;
using Shop.Messaging.Outbox;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Retry;

/// <summary>
/// MassTransit's redelivery policy (intervals, ignored exceptions, fault after the last attempt) with a durable store:
/// instead of a broker-side delay (RabbitMQ's delayed-exchange plugin, absent here), a failed message is written to the
/// outbox with a not-before time and acknowledged; the delivery service puts it back on the endpoint's queue when due.
/// It survives restarts.
/// </summary>
sealed class DurableRedeliveryConfigurationObserver(IConsumePipeConfigurator configurator, IServiceProvider services,
    Action<IRedeliveryConfigurator> configure)
    : ScheduledRedeliveryConfigurationObserver(configurator, configure)
{
    protected override IRedeliveryPipeSpecification AddRedeliveryPipeSpecification<TMessage>(IConsumePipeConfigurator consumePipe)
    {
        var specification = new DurableRedeliveryPipeSpecification<TMessage>(services);
        consumePipe.AddPipeSpecification(specification);
        return specification;
    }
}

sealed class DurableRedeliveryPipeSpecification<TMessage>(IServiceProvider services)
    : IPipeSpecification<ConsumeContext<TMessage>>, IRedeliveryPipeSpecification
    where TMessage : class
{
    public RedeliveryOptions Options { get; set; }

    public void Apply(IPipeBuilder<ConsumeContext<TMessage>> builder) => builder.AddFilter(new DurableRedeliveryFilter<TMessage>(services));

    public IEnumerable<ValidationResult> Validate() => [];
}

sealed class DurableRedeliveryFilter<TMessage>(IServiceProvider services) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("shop-durable-redelivery");

    public Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        context.AddOrUpdatePayload<MessageRedeliveryContext>(() => new DurableRedeliveryContext(context, services),
            _ => new DurableRedeliveryContext(context, services));
        return next.Send(context);
    }
}

sealed class DurableRedeliveryContext(ConsumeContext context, IServiceProvider services) : MessageRedeliveryContext
{
    const int StoreAttempts = 60;
    static readonly TimeSpan StoreRetryInterval = TimeSpan.FromSeconds(2);

    public async Task ScheduleRedelivery(TimeSpan delay, Action<ConsumeContext, SendContext>? callback = null)
    {
        var receive = context.ReceiveContext;
        var clock = services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;

        var headers = receive.TransportHeaders.GetAll()
            .Where(x => x.Key.StartsWith("MT-", StringComparison.Ordinal) || !x.Key.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(x => x.Key, x => x.Value);
        headers[MessageHeaders.RedeliveryCount] = context.GetRedeliveryCount() + 1;

        var due = now + delay;
        var message = OutboxMessage.Create(
            context.MessageId ?? throw new MessageException(typeof(object), "Redelivery needs a MessageId."),
            context.ConversationId, context.CorrelationId, context.InitiatorId, context.RequestId,
            context.SourceAddress, receive.InputAddress, context.ResponseAddress, context.FaultAddress, context.SentTime, now,
            contentType: receive.ContentType?.ToString() ?? "application/vnd.masstransit+json",
            messageTypes: context.SupportedMessageTypes,
            body: receive.Body,
            headers: headers!,
            expirationTime: context.ExpirationTime,
            enqueueTime: due);
        message.OutboxId = NewId.NextGuid();

        await using var scope = services.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<OutboxDbContextAccessor>().DbContext;
        dbContext.Add(new OutboxState { OutboxId = message.OutboxId, DueTime = due, Created = now });
        dbContext.Add(message);
        // The database may be what failed. While it is unreachable (restarting, out of connections) keep trying to store
        // the redelivery, the message unacknowledged meanwhile: giving up here would send a healthy message to _error.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await dbContext.SaveChangesAsync(context.CancellationToken).ConfigureAwait(false);
                break;
            }
            catch (Exception exception) when (attempt < StoreAttempts && DatabaseErrors.IsTransient(exception))
            {
                await Task.Delay(StoreRetryInterval, context.CancellationToken).ConfigureAwait(false);
            }
        }

        services.GetRequiredService<ILogger<DurableRedeliveryContext>>().LogWarning(
            "Message {MessageId} on {InputAddress} failed; redelivery {Attempt} scheduled in {Delay}",
            context.MessageId, receive.InputAddress, context.GetRedeliveryCount() + 1, delay);
    }
}
