using MassTransit;
using Shop.Messaging.Configuration;

namespace Shop.Payments.Consumers;

public sealed class ChargePaymentConsumerDefinition : ConsumerDefinition<ChargePaymentConsumer>
{
    public ChargePaymentConsumerDefinition() => ConcurrentMessageLimit = 16;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ChargePaymentConsumer> consumerConfigurator, IRegistrationContext context)
    {
        endpointConfigurator.UseShopRetry(context);
        endpointConfigurator.UseShopOutbox(context);
    }
}
