using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Orders.Saga;

namespace Shop.Orders.Data;

/// <summary>
/// At start-up, after the bus: a price list that is empty (a fresh database, which missed every ProductUpdated
/// published before its queue existed) asks Inventory for the whole catalog (<c>PublishCatalog</c>, through the
/// outbox). Until the prices arrive, orders for those SKUs are refused as unknown (400), never priced by guess.
/// </summary>
sealed class PriceListBootstrap(IServiceScopeFactory scopeFactory, TimeProvider clock, ILogger<PriceListBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        if (await dbContext.Prices.AnyAsync(cancellationToken))
            return;

        var inventory = await scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(ServiceQueues.PublishCatalog);
        await inventory.Send(new PublishCatalog("orders", clock.GetUtcNow()), cancellationToken);
        await dbContext.SaveChangesAsync(cancellationToken);
        logger.LogInformation("The price list is empty: asked Inventory for the catalog");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
