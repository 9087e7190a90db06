using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Messaging.Storage;

namespace Shop.Console.Data;

/// <summary>Each service's outbox: messages due to be delivered and how long the oldest has waited.</summary>
public sealed class OutboxQueries(ConsoleDatabases databases, IOptions<ConsoleOptions> options, TimeProvider clock, ILogger<OutboxQueries> logger)
{
    public async Task<IReadOnlyList<OutboxBacklog>> BacklogAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var backlogs = new List<OutboxBacklog>();
        foreach (var service in options.Value.Services)
        {
            await using var db = databases.Outbox(service);
            if (db is null)
            {
                backlogs.Add(new OutboxBacklog(service, null, null, null, "not configured"));
                continue;
            }

            try
            {
                // Due now: sent without a delivery time, or scheduled (a durable redelivery) for a time already past.
                var due = db.Set<OutboxMessage>().Where(x => x.EnqueueTime == null || x.EnqueueTime <= now);
                var count = await due.CountAsync(cancellationToken);
                var oldest = count == 0 ? (DateTime?)null : await due.MinAsync(x => (DateTime?)x.SentTime, cancellationToken);
                var scheduled = await db.Set<OutboxMessage>().CountAsync(x => x.EnqueueTime > now, cancellationToken);
                backlogs.Add(new OutboxBacklog(service, count, oldest is { } sent ? now - sent : null, scheduled, null));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "Reading the outbox of {Service} failed", service);
                backlogs.Add(new OutboxBacklog(service, null, null, null, "unreachable"));
            }
        }

        return backlogs;
    }
}

/// <param name="Due">Messages waiting to be delivered now.</param>
/// <param name="OldestAge">How long the oldest of them has waited.</param>
/// <param name="Scheduled">Messages scheduled for later (durable redeliveries), not a backlog.</param>
/// <param name="Problem">Why there are no numbers (no connection configured, database unreachable).</param>
public sealed record OutboxBacklog(string Service, int? Due, TimeSpan? OldestAge, int? Scheduled, string? Problem);
