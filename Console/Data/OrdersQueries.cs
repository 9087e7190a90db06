using Microsoft.EntityFrameworkCore;
using Shop.Orders.Domain;
using Shop.Orders.Saga;
using Shop.Orders.Timeline;

namespace Shop.Console.Data;

/// <summary>What the console reads from Orders' database: the saga's population, one order, lists and the last hour.</summary>
public sealed class OrdersQueries(ConsoleDatabases databases, TimeProvider clock)
{
    public const int PageSize = 50;

    /// <summary>The saga's states an order ends in; every other state is waiting for something.</summary>
    public static readonly IReadOnlySet<string> TerminalStates = new HashSet<string>(StringComparer.Ordinal) { "Completed", "Cancelled" };

    /// <summary>Orders in each state and when the one waiting longest entered it.</summary>
    public async Task<IReadOnlyDictionary<string, StatePopulation>> PopulationAsync(CancellationToken cancellationToken)
    {
        await using var db = databases.Orders();
        var rows = await db.OrderStates
            .GroupBy(x => x.CurrentState)
            .Select(x => new { State = x.Key, Count = x.Count(), Oldest = x.Min(y => y.UpdatedAt) })
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        return rows.ToDictionary(x => x.State, x => new StatePopulation(x.State, x.Count, now - x.Oldest), StringComparer.Ordinal);
    }

    /// <summary>Orders that ended (Completed, Cancelled by reason) per minute over the last <paramref name="minutes"/>.</summary>
    public async Task<Throughput> ThroughputAsync(int minutes, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var end = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(1);
        var start = end.AddMinutes(-minutes);
        await using var db = databases.Orders();
        // Only three narrow columns of the orders that ended in the window; the per-minute buckets are made here, which
        // keeps the query the same on both providers.
        var ended = await db.OrderStates
            .Where(x => (x.CurrentState == "Completed" || x.CurrentState == "Cancelled") && x.UpdatedAt >= start)
            .Select(x => new { x.UpdatedAt, x.CurrentState, x.CancellationReason })
            .ToListAsync(cancellationToken);

        var buckets = Enumerable.Range(0, minutes).Select(i => new MinuteCounts(start.AddMinutes(i), new Dictionary<string, int>(StringComparer.Ordinal))).ToArray();
        foreach (var order in ended)
        {
            var index = (int)((order.UpdatedAt - start).Ticks / TimeSpan.TicksPerMinute);
            if (index < 0 || index >= minutes)
                continue;
            var series = order.CurrentState == "Completed" ? "Completed" : $"Cancelled: {order.CancellationReason ?? "unknown"}";
            buckets[index].Counts[series] = buckets[index].Counts.GetValueOrDefault(series) + 1;
        }

        return new Throughput(start, end, buckets);
    }

    /// <summary>A page of orders, newest change first, filtered by state and/or customer.</summary>
    public async Task<OrderPage> ListAsync(string? state, string? customer, int page, CancellationToken cancellationToken)
    {
        await using var db = databases.Orders();
        var query = db.OrderStates.AsQueryable();
        if (!string.IsNullOrEmpty(state))
            query = query.Where(x => x.CurrentState == state);
        if (!string.IsNullOrEmpty(customer))
            query = query.Where(x => x.CustomerId == customer);
        var total = await query.CountAsync(cancellationToken);
        var rows = await query
            .OrderByDescending(x => x.UpdatedAt).ThenBy(x => x.CorrelationId)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(x => new OrderRow(x.CorrelationId, x.CustomerId, x.CurrentState, x.CancellationReason, x.Total, x.CreatedAt, x.UpdatedAt))
            .ToListAsync(cancellationToken);
        return new OrderPage(rows, total, page);
    }

    /// <summary>Orders in a non-terminal state for longer than <paramref name="stuckAfter"/>, waiting longest first.</summary>
    public async Task<IReadOnlyList<OrderRow>> StuckAsync(TimeSpan stuckAfter, CancellationToken cancellationToken)
    {
        var before = clock.GetUtcNow() - stuckAfter;
        await using var db = databases.Orders();
        return await db.OrderStates
            .Where(x => x.CurrentState != "Completed" && x.CurrentState != "Cancelled" && x.UpdatedAt < before)
            .OrderBy(x => x.UpdatedAt).Take(200)
            .Select(x => new OrderRow(x.CorrelationId, x.CustomerId, x.CurrentState, x.CancellationReason, x.Total, x.CreatedAt, x.UpdatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The current state of each of <paramref name="orderIds"/> that exists.</summary>
    public async Task<IReadOnlyDictionary<Guid, string>> StatesOfAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken cancellationToken)
    {
        if (orderIds.Count == 0)
            return new Dictionary<Guid, string>();
        await using var db = databases.Orders();
        return await db.OrderStates.Where(x => orderIds.Contains(x.CorrelationId))
            .ToDictionaryAsync(x => x.CorrelationId, x => x.CurrentState, cancellationToken);
    }

    /// <summary>Everything Orders knows of one order, or null.</summary>
    public async Task<OrderDetails?> OrderAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await using var db = databases.Orders();
        var order = await db.Orders.SingleOrDefaultAsync(x => x.Id == orderId, cancellationToken);
        var state = await db.OrderStates.SingleOrDefaultAsync(x => x.CorrelationId == orderId, cancellationToken);
        if (order is null && state is null)
            return null;
        var timeline = await db.Timeline.Where(x => x.OrderId == orderId).OrderBy(x => x.Sequence).ToListAsync(cancellationToken);
        return new OrderDetails(orderId, order, state, timeline);
    }
}

public sealed record StatePopulation(string State, int Count, TimeSpan OldestAge);

public sealed record MinuteCounts(DateTimeOffset Minute, Dictionary<string, int> Counts)
{
    public int Total => Counts.Values.Sum();
}

public sealed record Throughput(DateTimeOffset Start, DateTimeOffset End, IReadOnlyList<MinuteCounts> Minutes)
{
    /// <summary>Completed first, then the cancellation reasons by name.</summary>
    public IReadOnlyList<string> Series => [.. Minutes.SelectMany(x => x.Counts.Keys).Distinct().OrderBy(x => x == "Completed" ? 0 : 1).ThenBy(x => x, StringComparer.Ordinal)];

    public int TotalOf(string series) => Minutes.Sum(x => x.Counts.GetValueOrDefault(series));
}

public sealed record OrderRow(Guid OrderId, string CustomerId, string State, string? CancellationReason, decimal Total, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record OrderPage(IReadOnlyList<OrderRow> Orders, int Total, int Page)
{
    public int Pages => Math.Max(1, (Total + OrdersQueries.PageSize - 1) / OrdersQueries.PageSize);
}

public sealed record OrderDetails(Guid OrderId, Order? Order, OrderState? State, IReadOnlyList<OrderTimelineEntry> Timeline);
