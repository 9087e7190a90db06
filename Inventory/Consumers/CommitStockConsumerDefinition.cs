using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Inventory.Consumers;

public sealed class CommitStockConsumerDefinition : ConsumerDefinition<CommitStockConsumer>
{
    public CommitStockConsumerDefinition() => ConcurrentMessageLimit = 16;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<CommitStockConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseShopRetry(context);
        endpointConfigurator.UseShopOutbox(context);
    }
}
