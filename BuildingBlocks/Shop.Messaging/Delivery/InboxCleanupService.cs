using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Messaging.Configuration;
using Shop.Messaging.Hosting;
using Shop.Messaging.Outbox;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Delivery;

/// <summary>Removes inbox rows older than the duplicate-detection window.</summary>
public sealed class InboxCleanupService(
    IServiceScopeFactory scopeFactory,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<InboxCleanupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.InboxCleanupInterval, clock);
        do
        {
            try
            {
                var removed = await RemoveExpired(stoppingToken).ConfigureAwait(false);
                if (removed > 0)
                    logger.LogInformation("Inbox cleanup removed {Count} rows older than {Window}", removed, options.Value.DuplicateDetectionWindow);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Inbox cleanup failed; it runs again in {Interval}", options.Value.InboxCleanupInterval);
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Deletes the expired rows in batches of <see cref="MessagingOptions.InboxCleanupBatchSize"/>, each its own short
    /// statement (and transaction): no statement holds many locks or runs long beside the consumers' claims. Several
    /// instances may run it at once; each skips the rows another is deleting.
    /// </summary>
    internal async Task<int> RemoveExpired(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<OutboxDbContextAccessor>().DbContext;
        var cutoff = clock.GetUtcNow().UtcDateTime - options.Value.DuplicateDetectionWindow;
        var batchSize = Math.Max(1, options.Value.InboxCleanupBatchSize);
        var sql = DatabaseDialect.For(dbContext).DeleteExpiredInboxBatchSql(dbContext);

        var removed = 0;
        int batch;
        do
        {
            batch = await dbContext.Database.ExecuteSqlRawAsync(sql, [cutoff, batchSize], cancellationToken).ConfigureAwait(false);
            removed += batch;
        }
        while (batch >= batchSize && !cancellationToken.IsCancellationRequested);

        return removed;
    }
}
