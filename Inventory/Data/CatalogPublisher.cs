using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Inventory.Apis;

namespace Shop.Inventory.Data;

/// <summary>
/// Publishes the whole catalog (one <c>ProductUpdated</c> per product, at its current version) through the outbox at
/// start-up, after the bus has started: a service whose copy of the catalog is new or behind — Orders on a fresh
/// database, the seeded SKUs on a first start — catches up without a synchronous call. Receivers ignore a version they
/// already hold, so republishing is harmless.
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
            var publishEndpoint = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
            var batch = await dbContext.Products.AsNoTracking()
                .Where(x => after == null || string.Compare(x.Sku, after) > 0)
                .OrderBy(x => x.Sku)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
            if (batch.Count == 0)
                break;

            foreach (var product in batch)
                await publishEndpoint.Publish(ProductView.From(product).ToEvent(), cancellationToken);
            await dbContext.SaveChangesAsync(cancellationToken);
            published += batch.Count;
            after = batch[^1].Sku;
        }

        logger.LogInformation("Published the catalog: {Count} products", published);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
