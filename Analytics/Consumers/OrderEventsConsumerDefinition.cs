using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Analytics.Consumers;

/// <summary>
/// The standard policy (retry, outbox) with three departures: one queue for every lifecycle event, named for its
/// subscriber, which the deployment declares before any service runs (<c>scripts/broker-queues.tsv</c>), so no event is
/// lost while Analytics is down or not yet deployed; 8 messages at a time; and no inbox claim, because the consumer's
/// first statement is one already: it appends the event to the log keyed on the message id (a copy consumed before
/// appends nothing, a concurrent copy waits for the first's outcome), so an inbox row would record the same fact again,
/// at one more round trip per event.
/// </summary>
public sealed class OrderEventsConsumerDefinition : ShopConsumerDefinition<OrderEventsConsumer>
{
    public const string QueueName = "analytics-order-events";

    public OrderEventsConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<OrderEventsConsumer> consumer,
        IRegistrationContext context)
    {
        base.ConfigureConsumer(endpoint, consumer, context);
        endpoint.UseShopOutbox(context, outbox => outbox.ClaimInbox = false);
    }
}
