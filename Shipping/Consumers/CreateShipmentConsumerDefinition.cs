using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Shipping.Consumers;

public sealed class CreateShipmentConsumerDefinition : ConsumerDefinition<CreateShipmentConsumer>
{
    public CreateShipmentConsumerDefinition() => ConcurrentMessageLimit = 16;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint,
        IConsumerConfigurator<CreateShipmentConsumer> consumer, IRegistrationContext context)
    {
        endpoint.UseShopRetry(context);
        endpoint.UseShopOutbox(context);
    }
}
