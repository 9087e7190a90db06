using MassTransit;

namespace Shop.Messaging.Configuration;

/// <summary>
/// The standard endpoint policy of a Shop consumer: 16 messages at a time, <see cref="EndpointPolicyExtensions.UseShopRetry"/>
/// and <see cref="EndpointPolicyExtensions.UseShopOutbox"/> (one transaction per message, inbox and outbox). Register a
/// consumer with it as <c>bus.AddConsumer&lt;TConsumer, ShopConsumerDefinition&lt;TConsumer&gt;&gt;()</c>; its queue keeps the
/// kebab-case name of the consumer (<c>ReserveStockConsumer</c> → <c>reserve-stock</c>). A consumer that departs from
/// the policy derives from this class (or from <see cref="ConsumerDefinition{TConsumer}"/>) in a definition of its own.
/// </summary>
public class ShopConsumerDefinition<TConsumer> : ConsumerDefinition<TConsumer>
    where TConsumer : class, IConsumer
{
    public const int StandardConcurrentMessageLimit = 16;

    public ShopConsumerDefinition() => ConcurrentMessageLimit = StandardConcurrentMessageLimit;

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<TConsumer> consumer,
        IRegistrationContext context)
    {
        endpoint.UseShopRetry(context);
        endpoint.UseShopOutbox(context);
    }
}
