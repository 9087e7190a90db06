using MassTransit;
using MassTransit.Context;
using MassTransit.Scheduling;

namespace Shop.Messaging.Scheduling;

/// <summary>
/// Gives every consumed message a scheduler that works through the outbox: a scheduled send becomes an outbox row due
/// at its time (nothing delayed ever reaches RabbitMQ, which has no delayed-exchange plugin here), and a cancelled one
/// is deleted from the outbox, so an unscheduled saga timeout is never sent at all.
/// </summary>
sealed class OutboxMessageSchedulerFilter : IFilter<ConsumeContext>
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("shop-outbox-message-scheduler");

    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        context.GetOrAddPayload<MessageSchedulerContext>(() => new ConsumeMessageSchedulerContext(context, SchedulerFactory));
        return next.Send(context);
    }

    // Called with the consume context the consumer sees: under UseShopOutbox, the outbox's, so sends become rows.
    static IMessageScheduler SchedulerFactory(ConsumeContext context) =>
        new MessageScheduler(new OutboxScheduleMessageProvider(context), context.GetPayload<IBusTopology>());
}
