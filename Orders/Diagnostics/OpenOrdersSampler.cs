using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Messaging.Hosting;
using Shop.Orders.Data;
using Shop.Orders.Saga;

namespace Shop.Orders.Diagnostics;

/// <summary>
/// Counts the orders in each non-terminal state, with the age of the oldest (time since it entered the state, the
/// saga's <c>UpdatedAt</c>) and how many are escalated, every <see cref="OrdersOptions.StuckSampleInterval"/>, into
/// <see cref="OrderMetrics"/>. One grouped query over the <c>CurrentState</c> index; scrapes and health probes read the
/// sample and never query. A failed sample is logged and the previous one kept. Every state but the terminal ones counts:
/// a former name (<see cref="FormerStateNames"/>) under its current name, and a name this release does not know (an
/// instance of a newer release wrote it) under its own name, with a warning — never left out of the count.
/// </summary>
sealed class OpenOrdersSampler(IServiceScopeFactory scopeFactory, OrderMetrics metrics, IOptions<OrdersOptions> options, TimeProvider clock,
    ILogger<OpenOrdersSampler> logger) : BackgroundService
{
    public static readonly IReadOnlyList<string> OpenStates =
    [
        nameof(OrderStateMachine.Submitted), nameof(OrderStateMachine.Reserved), nameof(OrderStateMachine.Paid),
        nameof(OrderStateMachine.Compensating),
    ];

    public static readonly IReadOnlyList<string> TerminalStates = [nameof(OrderStateMachine.Completed), nameof(OrderStateMachine.Cancelled)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.StuckSampleInterval, clock);
        do
        {
            try
            {
                await using var scope = scopeFactory.CreateAsyncScope();
                metrics.Update(await SampleAsync(scope.ServiceProvider.GetRequiredService<OrdersDbContext>(), stoppingToken));
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Sampling the open orders failed; the metrics keep the previous sample");
            }
        }
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken));
    }

    async Task<OpenOrdersSample> SampleAsync(OrdersDbContext db, CancellationToken cancellationToken)
    {
        var stored = await db.OrderStates.AsNoTracking()
            .Where(x => !TerminalStates.Contains(x.CurrentState))
            .GroupBy(x => x.CurrentState)
            .Select(group => new { State = group.Key, Count = group.LongCount(), Since = group.Min(x => x.UpdatedAt) })
            .ToListAsync(cancellationToken);
        var states = stored
            .GroupBy(x => FormerStateNames.Current(x.State))
            .Select(group => new { State = group.Key, Count = group.Sum(x => x.Count), Since = group.Min(x => x.Since) })
            .ToList();
        var unknown = states.Where(x => !OpenStates.Contains(x.State)).ToList();
        foreach (var state in unknown)
        {
            logger.LogWarning("{Count} order(s) are in state {State}, which this release does not know (written by a newer one?); counted as open",
                state.Count, state.State);
        }
        var escalated = await db.OrderStates.AsNoTracking()
            .CountAsync(x => x.CurrentState == nameof(OrderStateMachine.Compensating) && x.EscalatedAt != null, cancellationToken);

        // Aged when the rows were read, so an order is never reported younger than it is.
        var sampledAt = clock.GetUtcNow();
        return new OpenOrdersSample(
            [
                .. OpenStates.Select(name => states.SingleOrDefault(x => x.State == name) is { } found
                    ? new OpenOrdersSample.State(name, found.Count, Max(sampledAt - found.Since, TimeSpan.Zero))
                    : new OpenOrdersSample.State(name, 0, TimeSpan.Zero)),
                .. unknown.Select(x => new OpenOrdersSample.State(x.State, x.Count, Max(sampledAt - x.Since, TimeSpan.Zero))),
            ],
            escalated, sampledAt);
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
