using MassTransit;
using Shop.Contracts;
using Shop.Inventory.Data;

namespace Shop.Inventory.Consumers;

/// <summary>Republishes the whole catalog on request, in this message's transaction (outbox): all of it, or none on a failure.</summary>
public sealed class PublishCatalogConsumer(InventoryDbContext dbContext, ILogger<PublishCatalogConsumer> logger) : IConsumer<PublishCatalog>
{
    public async Task Consume(ConsumeContext<PublishCatalog> context)
    {
        var (count, _) = await CatalogPublisher.PublishBatchAsync(dbContext, context, after: null, take: int.MaxValue, context.CancellationToken);
        logger.LogInformation("Published the catalog for {RequestedBy}: {Count} products", context.Message.RequestedBy, count);
    }
}
