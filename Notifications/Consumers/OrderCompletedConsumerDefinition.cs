using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Notifications.Consumers;

public sealed class OrderCompletedConsumerDefinition : ConsumerDefinition<OrderCompletedConsumer>
{
    public OrderCompletedConsumerDefinition()
    {
        // An event queue belongs to its subscriber: the service's name keeps it apart from other services' queues
        // bound to the same event.
        EndpointName = "notifications-order-completed";
        ConcurrentMessageLimit = 8;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<OrderCompletedConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseShopRetry(context);
        endpoint.UseShopOutbox(context);
    }
}
