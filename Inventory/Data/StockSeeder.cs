using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Inventory.Domain;

namespace Shop.Inventory.Data;

/// <summary>
/// Creates the configured seed stock at start-up (after migrations, before the bus), each SKU with its seed
/// <see cref="StockAdjustment"/>, leaving existing SKUs untouched.
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
        // One SaveChanges: the stock rows and their adjustments commit together.
        await dbContext.SaveChangesAsync(cancellationToken);

        logger.LogInformation("Seeded {Count} SKUs with {OnHand} on hand ({Existing} already existed)", missing.Count, seed.OnHand, existing.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
