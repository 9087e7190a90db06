using Shop.Messaging.Configuration;

namespace Shop.Notifications.Consumers;

/// <summary>
/// The standard policy with two departures: the queue is named for its subscriber (an event queue belongs to the
/// service that subscribes: the name keeps it apart from other services' queues bound to the same event), and 8
/// messages at a time instead of 16.
/// </summary>
public sealed class OrderCancelledConsumerDefinition : ShopConsumerDefinition<OrderCancelledConsumer>
{
    public OrderCancelledConsumerDefinition()
    {
        EndpointName = "notifications-order-cancelled";
        ConcurrentMessageLimit = 8;
    }
}
