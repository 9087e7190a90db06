using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Notifications.Consumers;

public sealed class OrderCancelledConsumerDefinition : ConsumerDefinition<OrderCancelledConsumer>
{
    public OrderCancelledConsumerDefinition()
    {
        // An event queue belongs to its subscriber: the service's name keeps it apart from other services' queues
        // bound to the same event.
        EndpointName = "notifications-order-cancelled";
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<OrderCancelledConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseShopRetry(context);
        endpoint.UseShopOutbox(context);
    }
}
