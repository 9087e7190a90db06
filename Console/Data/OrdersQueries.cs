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

    /// <summary>
    /// Dead letters as Orders saw them arrive: each <c>Fault</c> of a command the saga sent is a Faulted line in the
    /// order's timeline (message type, exception type and reason). A fault blocks its order while the order is in a
    /// waiting state and has not changed state since. Grouped by message type and exception type (never by the text,
    /// which holds ids), each group with the orders it blocks and their state. Read from rows: no queue is touched.
    /// </summary>
    public async Task<IReadOnlyList<FaultGroup>> BlockingFaultsAsync(CancellationToken cancellationToken)
    {
        await using var db = databases.Orders();
        var faults = await db.Timeline.Where(x => x.Kind == OrderTimelineKind.Faulted)
            .Join(db.OrderStates.Where(x => x.CurrentState != "Completed" && x.CurrentState != "Cancelled"),
                fault => fault.OrderId, order => order.CorrelationId,
                (fault, order) => new { fault.OrderId, fault.Sequence, fault.Name, fault.Detail, fault.At, order.CurrentState })
            .Take(5000)
            .ToListAsync(cancellationToken);
        if (faults.Count == 0)
            return [];

        var orderIds = faults.Select(x => x.OrderId).Distinct().ToList();
        var lastTransition = await db.Timeline.Where(x => x.Kind == OrderTimelineKind.Transitioned && orderIds.Contains(x.OrderId))
            .GroupBy(x => x.OrderId)
            .Select(x => new { OrderId = x.Key, Sequence = x.Max(y => y.Sequence) })
            .ToDictionaryAsync(x => x.OrderId, x => x.Sequence, cancellationToken);

        return [.. faults
            .Where(x => x.Sequence > lastTransition.GetValueOrDefault(x.OrderId))
            .GroupBy(x => (MessageType: x.Name, ExceptionType: ExceptionTypeOf(x.Detail)))
            .Select(group => new FaultGroup(group.Key.MessageType, group.Key.ExceptionType,
                [.. group.GroupBy(x => x.OrderId).Select(x => x.OrderBy(y => y.Sequence).Last())
                    .OrderBy(x => x.At).Select(x => new BlockedOrder(x.OrderId, x.CurrentState, x.At, x.Detail))]))
            .OrderByDescending(x => x.Orders.Count).ThenBy(x => x.MessageType, StringComparer.Ordinal)];
    }

    /// <summary>"PermanentMessageFailureException" from "PermanentMessageFailureException: The carrier is down in FR".</summary>
    static string ExceptionTypeOf(string? detail)
    {
        if (string.IsNullOrEmpty(detail))
            return "unknown";
        var separator = detail.IndexOf(": ", StringComparison.Ordinal);
        return separator < 0 ? detail : detail[..separator];
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

    /// <summary>
    /// What became of each order since <paramref name="since"/> (an operator action): its state now, whether it changed
    /// state since (moved on) and whether a command of it faulted since (failed again), from its timeline.
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, OrderProgress>> ProgressSinceAsync(IReadOnlyCollection<Guid> orderIds, DateTimeOffset since,
        CancellationToken cancellationToken)
    {
        if (orderIds.Count == 0)
            return new Dictionary<Guid, OrderProgress>();
        await using var db = databases.Orders();
        var states = await db.OrderStates.Where(x => orderIds.Contains(x.CorrelationId))
            .ToDictionaryAsync(x => x.CorrelationId, x => x.CurrentState, cancellationToken);
        var changes = await db.Timeline
            .Where(x => orderIds.Contains(x.OrderId) && x.At >= since
                        && (x.Kind == OrderTimelineKind.Transitioned || x.Kind == OrderTimelineKind.Faulted))
            .Select(x => new { x.OrderId, x.Kind })
            .ToListAsync(cancellationToken);
        return states.ToDictionary(x => x.Key, x => new OrderProgress(x.Key, x.Value,
            changes.Any(y => y.OrderId == x.Key && y.Kind == OrderTimelineKind.Transitioned),
            changes.Any(y => y.OrderId == x.Key && y.Kind == OrderTimelineKind.Faulted)));
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

/// <param name="MovedOn">The order changed state after the action.</param>
/// <param name="FailedAgain">A command of the order faulted after the action (it is back in an <c>_error</c> queue).</param>
public sealed record OrderProgress(Guid OrderId, string State, bool MovedOn, bool FailedAgain);

/// <summary>"12 orders, all Reserved" or "3 orders: 2 Reserved, 1 Paid" (none: "no order").</summary>
public static class StateSummary
{
    public static string Of(IReadOnlyCollection<string> states)
    {
        if (states.Count == 0)
            return "no order";
        var counts = states.GroupBy(x => x).Select(x => (State: x.Key, Count: x.Count())).OrderByDescending(x => x.Count).ThenBy(x => x.State, StringComparer.Ordinal).ToList();
        var orders = states.Count == 1 ? "1 order" : $"{states.Count} orders";
        return counts.Count == 1
            ? states.Count == 1 ? $"{orders}, {counts[0].State}" : $"{orders}, all {counts[0].State}"
            : $"{orders}: {string.Join(", ", counts.Select(x => $"{x.Count} {x.State}"))}";
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

/// <param name="Detail">The fault's reason as the timeline holds it (type and first line of the message).</param>
public sealed record BlockedOrder(Guid OrderId, string State, DateTimeOffset FaultedAt, string? Detail);

public sealed record FaultGroup(string MessageType, string ExceptionType, IReadOnlyList<BlockedOrder> Orders)
{
    /// <summary>"3 orders, all Paid" or "3 orders: 2 Paid, 1 Compensating".</summary>
    public string Summary
    {
        get
        {
            var states = Orders.GroupBy(x => x.State).Select(x => (State: x.Key, Count: x.Count())).OrderByDescending(x => x.Count).ToList();
            var orders = Orders.Count == 1 ? "1 order" : $"{Orders.Count} orders";
            return states.Count == 1
                ? Orders.Count == 1 ? $"{orders}, {states[0].State}" : $"{orders}, all {states[0].State}"
                : $"{orders}: {string.Join(", ", states.Select(x => $"{x.Count} {x.State}"))}";
        }
    }
}
