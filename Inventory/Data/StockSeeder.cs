using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Data;
using Shop.Inventory.Domain;

namespace Shop.Inventory.Data;

/// <summary>
/// Creates the configured seed stock at start-up (after migrations, before the bus), each SKU with its seed
/// <see cref="StockAdjustment"/> and its product, leaving existing SKUs untouched.
/// </summary>
sealed class StockSeeder(IServiceScopeFactory scopeFactory, IOptions<InventoryOptions> options, TimeProvider clock, ILogger<StockSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var seed = options.Value.Seed;
        var skus = seed.Skus();
        if (skus.Count == 0)
            return;

        await using var scope = scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<InventoryDbContext>();
        var existing = await dbContext.Stock.Where(x => skus.Contains(x.Sku)).Select(x => x.Sku).ToListAsync(cancellationToken);
        var missing = skus.Except(existing).ToList();
        var now = clock.GetUtcNow();
        dbContext.Stock.AddRange(missing.Select(sku => new StockItem { Sku = sku, OnHand = seed.OnHand }));
        dbContext.Adjustments.AddRange(missing.Select(sku => new StockAdjustment
        {
            Sku = sku,
            Quantity = seed.OnHand,
            OnHand = seed.OnHand,
            Reason = StockAdjustment.Seed,
            At = now,
        }));
        // Seed SKUs get a price too; an existing product keeps the one an operator gave it. Their ProductUpdated goes out
        // with the whole catalog once the bus is up (CatalogPublisher).
        var priced = await dbContext.Products.Where(x => skus.Contains(x.Sku)).Select(x => x.Sku).ToListAsync(cancellationToken);
        dbContext.Products.AddRange(skus.Except(priced).Select(sku => new Product
        {
            Sku = sku,
            Name = $"Product {sku}",
            UnitPrice = seed.UnitPrice,
            Version = 1,
            UpdatedAt = now.ToStoredPrecision(),
        }));
        // One SaveChanges: the stock rows, their adjustments and the products commit together.
        try
        {
            await dbContext.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueViolation(exception))
        {
            // Another instance starting at the same time seeded them first, in one transaction of its own: all there.
            logger.LogInformation("Seed stock was created by another instance starting at the same time");
            return;
        }

        logger.LogInformation("Seeded {Count} SKUs with {OnHand} on hand ({Existing} already existed)", missing.Count, seed.OnHand, existing.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
