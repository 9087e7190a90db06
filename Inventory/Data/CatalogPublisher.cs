using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Inventory.Apis;

namespace Shop.Inventory.Data;

/// <summary>
/// Publishes the whole catalog (one <c>ProductUpdated</c> per product, at its current version) through the outbox at
/// start-up, after the bus has started: a service whose copy of the catalog is new or behind — Orders on a fresh
/// database, the seeded SKUs on a first start — catches up without a synchronous call. Receivers ignore a version they
/// already hold, so republishing is harmless. (<c>PublishCatalog</c> asks for the same at any time.)
/// </summary>
sealed class CatalogPublisher(IServiceScopeFactory scopeFactory, IOptions<InventoryOptions> options, ILogger<CatalogPublisher> logger)
    : IHostedService
{
    const int BatchSize = 500;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.PublishCatalogOnStart)
            return;

        var published = 0;
        string? after = null;
        while (true)
        {
            // A scope per batch: one DbContext, its outbox rows committed by its SaveChanges.
            await using var scope = scopeFactory.CreateAsyncScope();
            var dbContext = scope.ServiceProvider.GetRequiredService<InventoryDbContext>();
            var count = await PublishBatchAsync(dbContext, scope.ServiceProvider.GetRequiredService<IPublishEndpoint>(), after, BatchSize,
                cancellationToken);
            if (count.Count == 0)
                break;
            await dbContext.SaveChangesAsync(cancellationToken);
            published += count.Count;
            after = count.Last;
        }

        logger.LogInformation("Published the catalog: {Count} products", published);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Publishes up to <paramref name="take"/> products after <paramref name="after"/> (SKU order); the caller saves.</summary>
    public static async Task<(int Count, string? Last)> PublishBatchAsync(InventoryDbContext dbContext, IPublishEndpoint publishEndpoint,
        string? after, int take, CancellationToken cancellationToken)
    {
        var batch = await dbContext.Products.AsNoTracking()
            .Where(x => after == null || string.Compare(x.Sku, after) > 0)
            .OrderBy(x => x.Sku)
            .Take(take)
            .ToListAsync(cancellationToken);
        foreach (var product in batch)
            await publishEndpoint.Publish(ProductView.From(product).ToEvent(), cancellationToken);
        return (batch.Count, batch.Count > 0 ? batch[^1].Sku : null);
    }
}
