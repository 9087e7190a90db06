using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Inventory.Consumers;

public sealed class ReserveStockConsumerDefinition : ConsumerDefinition<ReserveStockConsumer>
{
    public ReserveStockConsumerDefinition() => ConcurrentMessageLimit = 16;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ReserveStockConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseShopRetry(context);
        endpointConfigurator.UseShopOutbox(context);
    }
}
