using MassTransit;
using Shop.Contracts;
using Shop.Data;
using Shop.Inventory.Consumers;
using Shop.Inventory.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.Signing;
using Shop.ServiceDefaults;

namespace Shop.Inventory;

public static class InventoryServiceExtensions
{
    public static WebApplicationBuilder AddInventoryServices(this WebApplicationBuilder builder)
    {
        builder.AddShopDbContext<InventoryDbContext, InventoryPostgresDbContext, InventorySqlServerDbContext>("Inventory");
        builder.Services.AddOptions<InventoryOptions>().Bind(builder.Configuration.GetSection("Inventory"));
        // Hosted services start in registration order: after the migrator, before the bus.
        builder.Services.AddHostedService<StockSeeder>();
        builder.Services.AddMessageSenders(MessageSenders.All, MessageConsumers.All);
        builder.Services.AddShopMessaging<InventoryDbContext>(builder.Configuration, bus =>
        {
            bus.AddConsumer<ReserveStockConsumer, ShopConsumerDefinition<ReserveStockConsumer>>();
            bus.AddConsumer<ReleaseStockConsumer, ShopConsumerDefinition<ReleaseStockConsumer>>();
            bus.AddConsumer<CommitStockConsumer, ShopConsumerDefinition<CommitStockConsumer>>();
            bus.AddConsumer<PublishCatalogConsumer, ShopConsumerDefinition<PublishCatalogConsumer>>();
        });
        // After the bus: its messages go through the outbox, which the delivery service sends once the bus is up.
        builder.Services.AddHostedService<CatalogPublisher>();
        return builder;
    }
}
