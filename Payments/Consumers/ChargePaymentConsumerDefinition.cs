using MassTransit;
using Shop.Messaging.Configuration;
using Shop.Payments.Domain;

namespace Shop.Payments.Consumers;

public sealed class ChargePaymentConsumerDefinition : ConsumerDefinition<ChargePaymentConsumer>
{
    public ChargePaymentConsumerDefinition() => ConcurrentMessageLimit = 16;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpointConfigurator,
        IConsumerConfigurator<ChargePaymentConsumer> consumerConfigurator, IRegistrationContext context)
    {
        // The gateway's processing_error is worth an immediate retry: its idempotency key (the order) prevents a double charge.
        endpointConfigurator.UseShopRetry(context, retry => retry.AlsoTransient = exception => exception is GatewayUnavailableException);
        endpointConfigurator.UseShopOutbox(context);
    }
}
