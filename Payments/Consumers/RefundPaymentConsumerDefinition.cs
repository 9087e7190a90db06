using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Payments.Consumers;

public sealed class RefundPaymentConsumerDefinition : ConsumerDefinition<RefundPaymentConsumer>
{
    public RefundPaymentConsumerDefinition() => ConcurrentMessageLimit = 16;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<RefundPaymentConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseShopRetry(context);
        endpointConfigurator.UseShopOutbox(context);
    }
}
