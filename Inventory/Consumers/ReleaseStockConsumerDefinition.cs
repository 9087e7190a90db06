using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Inventory.Consumers;

public sealed class ReleaseStockConsumerDefinition : ConsumerDefinition<ReleaseStockConsumer>
{
    public ReleaseStockConsumerDefinition() => ConcurrentMessageLimit = 16;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ReleaseStockConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseShopRetry(context);
        endpointConfigurator.UseShopOutbox(context);
    }
}
