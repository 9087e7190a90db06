using MassTransit;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.Signing;
using Shop.ServiceDefaults;
using Shop.Shipping.Consumers;
using Shop.Shipping.Data;

namespace Shop.Shipping;

public static class ShippingServiceExtensions
{
    public static WebApplicationBuilder AddShippingServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<ShippingDbContext, ShippingPostgresDbContext, ShippingSqlServerDbContext>("Shipping");
        builder.Services.AddOptions<ShippingOptions>().Bind(builder.Configuration.GetSection(ShippingOptions.Section));
        builder.Services.AddMessageSenders(MessageSenders.All, MessageConsumers.All);
        builder.Services.AddShopMessaging<ShippingDbContext>(builder.Configuration, bus =>
        {
            bus.AddConsumer<CreateShipmentConsumer, ShopConsumerDefinition<CreateShipmentConsumer>>();
            bus.AddConsumer<CancelShipmentConsumer, ShopConsumerDefinition<CancelShipmentConsumer>>();
        });
        return builder;
    }
}
