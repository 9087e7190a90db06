using Shop.Messaging.Configuration;

namespace Shop.Orders.Consumers;

/// <summary>The standard policy, on a queue named for its subscriber (Orders), apart from other services bound to the same event.</summary>
public sealed class ProductUpdatedConsumerDefinition : ShopConsumerDefinition<ProductUpdatedConsumer>
{
    public ProductUpdatedConsumerDefinition() => EndpointName = "orders-product-updated";
}
