using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Orders.Data;

namespace Shop.Orders.Saga;

/// <summary>
/// Ends the waits that ran out: every order whose deadline (<see cref="OrderState.DeadlineAt"/>) has passed is sent its
/// state's timeout through the outbox, and its deadline cleared, in one transaction, so each deadline fires once. Rows
/// are taken with SKIP LOCKED (READPAST on SQL Server): instances poll side by side, and a saga updating a row meanwhile
/// fails its version check and retries after this commits. A timeout that arrives after the order moved on is ignored
/// by the state it finds. The poller wakes when the earliest deadline is due, and at least every
/// <c>Orders:DeadlinePollInterval</c> for deadlines set meanwhile. A deadline left from the order's previous state (an instance of the previous release moved it
/// without clearing it, during a rolling upgrade) is re-armed for the state the order is in instead.
/// </summary>
public sealed class OrderDeadlinePoller(IServiceScopeFactory scopes, OrderStateMachine machine, IOptions<OrdersOptions> options,
    TimeProvider clock, ILogger<OrderDeadlinePoller> logger) : BackgroundService
{
    /// <summary>Orders taken per transaction.</summary>
    public const int BatchSize = 100;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.DeadlinePollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = interval;
            try
            {
                wait = await SendDueTimeoutsAsync(stoppingToken) switch
                {
                    // Some were due: look again at once for the next.
                    { Taken: > 0 } => TimeSpan.Zero,
                    // None due yet: wake when the earliest is (a deadline set meanwhile waits at most the interval).
                    { Next: { } next } => TimeSpan.FromTicks(Math.Clamp((next - clock.GetUtcNow()).Ticks, 0, interval.Ticks)),
                    // None at all, or every due one held by another instance.
                    _ => interval,
                };
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                // The next poll tries again: nothing was committed, so every deadline still waits on its row.
                logger.LogWarning(exception, "Could not send the timeouts of orders past their deadline; retrying on the next poll");
            }

            try
            {
                await Task.Delay(wait, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Sends the timeouts of up to <see cref="BatchSize"/> orders past their deadline. Returns how many it took, and when
    /// none was due, the earliest deadline there is (null: none).
    /// </summary>
    public async Task<(int Taken, DateTimeOffset? Next)> SendDueTimeoutsAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var now = clock.GetUtcNow();
        // Most polls find nothing due: one plain read of the index's first entry, no transaction, no lock.
        var earliest = await db.OrderStates.MinAsync(x => x.DeadlineAt, cancellationToken);
        if (earliest is null || earliest > now)
            return (0, earliest);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var due = await db.OrderStates.FromSqlRaw(DueOrdersSql(db), now, BatchSize).ToListAsync(cancellationToken);
        // Resolved in this scope outside a consumer: the bus outbox, writing on this DbContext.
        var saga = await scope.ServiceProvider.GetRequiredService<ISendEndpointProvider>().GetSendEndpoint(ServiceQueues.OrderSaga);
        var sent = 0;
        foreach (var order in due)
        {
            order.Version++;
            var deadline = machine.DeadlineOf(order);
            if (deadline is { After: var after } && order.UpdatedAt + after > now)
            {
                order.DeadlineAt = order.UpdatedAt + after;
                continue;
            }

            order.DeadlineAt = null;
            if (deadline is { Timeout: var timeout })
            {
                await saga.Send(timeout, timeout.GetType(), cancellationToken);
                sent++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (due.Count > 0)
            logger.LogInformation("Sent the timeouts of {Sent} order(s) past their deadline ({Taken} taken)", sent, due.Count);
        return (due.Count, null);
    }

    /// <summary>The due orders, earliest first, locked; rows another instance holds are skipped.</summary>
    static string DueOrdersSql(OrdersDbContext db) => db.Database.IsSqlServer()
        ? """
          SELECT TOP ({1}) * FROM [OrderState] WITH (UPDLOCK, ROWLOCK, READPAST)
          WHERE [DeadlineAt] IS NOT NULL AND [DeadlineAt] <= {0} ORDER BY [DeadlineAt]
          """
        : """
          SELECT * FROM "OrderState" WHERE "DeadlineAt" IS NOT NULL AND "DeadlineAt" <= {0}
          ORDER BY "DeadlineAt" LIMIT {1} FOR UPDATE SKIP LOCKED
          """;
}
