using MassTransit;
using Shop.Analytics.Projections;
using Shop.Contracts;

namespace Shop.Analytics.Consumers;

/// <summary>
/// Appends each lifecycle event to the log and updates the views, in the message's transaction (the endpoint's inbox
/// and outbox, see <see cref="OrderEventsConsumerDefinition"/>). The event's id is its MessageId: a redelivery finds
/// it logged and changes nothing; a copy under a new id is logged but leaves the order's facts, and so the views, as
/// they were.
/// </summary>
public sealed class OrderEventsConsumer(OrderProjector projector, ILogger<OrderEventsConsumer> logger) :
    IConsumer<OrderSubmitted>,
    IConsumer<OrderSubmittedV1>,
    IConsumer<StockReserved>,
    IConsumer<StockReleased>,
    IConsumer<PaymentCaptured>,
    IConsumer<PaymentRefunded>,
    IConsumer<ShipmentCreated>,
    IConsumer<OrderCompleted>,
    IConsumer<OrderCancelled>
{
    public Task Consume(ConsumeContext<OrderSubmitted> context) => Record(context);
    public Task Consume(ConsumeContext<OrderSubmittedV1> context) => Record(context);
    public Task Consume(ConsumeContext<StockReserved> context) => Record(context);
    public Task Consume(ConsumeContext<StockReleased> context) => Record(context);
    public Task Consume(ConsumeContext<PaymentCaptured> context) => Record(context);
    public Task Consume(ConsumeContext<PaymentRefunded> context) => Record(context);
    public Task Consume(ConsumeContext<ShipmentCreated> context) => Record(context);
    public Task Consume(ConsumeContext<OrderCompleted> context) => Record(context);
    public Task Consume(ConsumeContext<OrderCancelled> context) => Record(context);

    async Task Record<T>(ConsumeContext<T> context)
        where T : class
    {
        var eventId = context.MessageId ?? throw new MessageException(typeof(T), "A MessageId is required: it is the event's id in the log.");
        if (!await projector.RecordAsync(eventId, context.Message, context.CancellationToken))
            logger.LogInformation("{MessageType} {MessageId} is in the log already; duplicate ignored", typeof(T).Name, eventId);
    }
}
