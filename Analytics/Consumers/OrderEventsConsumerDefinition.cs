using Shop.Messaging.Configuration;

namespace Shop.Analytics.Consumers;

/// <summary>
/// The standard policy (inbox, outbox, retry) with two departures: one queue for every lifecycle event, named for its
/// subscriber, which the deployment declares before any service runs (<c>scripts/broker-queues.tsv</c>), so no event is
/// lost while Analytics is down or not yet deployed; and 8 messages at a time.
/// </summary>
public sealed class OrderEventsConsumerDefinition : ShopConsumerDefinition<OrderEventsConsumer>
{
    public const string QueueName = "analytics-order-events";

    public OrderEventsConsumerDefinition()
    {
        EndpointName = QueueName;
        ConcurrentMessageLimit = 8;
    }
}
