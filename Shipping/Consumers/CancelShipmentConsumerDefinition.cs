using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Shipping.Consumers;

public sealed class CancelShipmentConsumerDefinition : ConsumerDefinition<CancelShipmentConsumer>
{
    public CancelShipmentConsumerDefinition() => ConcurrentMessageLimit = 16;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<CancelShipmentConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseShopRetry(context);
        endpoint.UseShopOutbox(context);
    }
}
