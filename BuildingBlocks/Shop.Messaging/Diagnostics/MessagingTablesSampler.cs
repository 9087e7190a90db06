using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Messaging.Hosting;
using Shop.Messaging.Outbox;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Diagnostics;

/// <summary>
/// Counts the outbox (every <see cref="MessagingMetricsOptions.SampleInterval"/>) and the inbox (every
/// <see cref="MessagingMetricsOptions.InboxSampleInterval"/>) into <see cref="MessagingMetrics"/>, so that metric scrapes
/// and health probes read a figure instead of querying. A failed sample is logged and the previous one kept; the
/// outbox health check reports a sample that has gone stale.
/// </summary>
sealed class MessagingTablesSampler(
    IServiceScopeFactory scopeFactory,
    MessagingMetrics metrics,
    IOptions<MessagingMetricsOptions> options,
    TimeProvider clock,
    ILogger<MessagingTablesSampler> logger) : BackgroundService
{
    readonly MessagingMetricsOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.SampleInterval, clock);
        DateTimeOffset? inboxSampledAt = null;
        do
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                var dbContext = scope.ServiceProvider.GetRequiredService<OutboxDbContextAccessor>().DbContext;
                metrics.Update(await SampleOutbox(dbContext, stoppingToken).ConfigureAwait(false));

                if (inboxSampledAt is null || clock.GetUtcNow() - inboxSampledAt >= _options.InboxSampleInterval)
                {
                    metrics.UpdateInbox(await dbContext.Set<InboxState>().LongCountAsync(stoppingToken).ConfigureAwait(false));
                    inboxSampledAt = clock.GetUtcNow();
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Sampling the messaging tables failed; the metrics keep the previous sample");
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken).ConfigureAwait(false));
    }

    async Task<OutboxSample> SampleOutbox(DbContext dbContext, CancellationToken cancellationToken)
    {
        var utcNow = clock.GetUtcNow().UtcDateTime;

        // Groups are few (one per unit of work) and DueTime is indexed; messages are counted through their group's
        // (OutboxId, SequenceNumber) index.
        var oldestDue = await dbContext.Set<OutboxState>()
            .Where(x => x.DueTime <= utcNow)
            .MinAsync(x => (DateTime?)x.DueTime, cancellationToken).ConfigureAwait(false);

        var counts = await dbContext.Set<OutboxMessage>()
            .Join(dbContext.Set<OutboxState>(), message => message.OutboxId, group => group.OutboxId, (_, group) => group.DueTime)
            .GroupBy(_ => 1)
            .Select(all => new { Due = all.LongCount(dueTime => dueTime <= utcNow), Total = all.LongCount() })
            .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);

        // Aged at the moment the rows were read (after the queries), not when the sample began: a row made due while
        // the queries ran is never reported younger than it is.
        var sampledAt = clock.GetUtcNow();
        var oldestAge = oldestDue is { } due && sampledAt.UtcDateTime > due ? sampledAt.UtcDateTime - due : TimeSpan.Zero;
        return new OutboxSample(counts?.Due ?? 0, (counts?.Total ?? 0) - (counts?.Due ?? 0), oldestAge, sampledAt);
    }
}
