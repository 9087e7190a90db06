using Shop.Contracts;

namespace Shop.Analytics.Domain;

/// <summary>How an order ended, as far as its events tell.</summary>
public enum OrderOutcome
{
    Open,
    Completed,
    Cancelled,
}

/// <summary>
/// What the events of one order say about it, derived by <see cref="Derive"/> from ALL of them, never updated in place:
/// every projection is a sum over these, so a duplicate, a reordering or a late event changes the views only by the
/// difference between the facts before and after it.
/// </summary>
public sealed record OrderFacts(Guid OrderId)
{
    /// <summary>Bump when <see cref="Derive"/> changes meaning: every projection is then rebuilt from the log.</summary>
    public const int CodeVersion = 1;

    public DateTimeOffset? SubmittedAt { get; init; }
    public decimal SubmittedTotal { get; init; }

    /// <summary>Units per SKU of the order, SKUs in ordinal order (one entry per SKU).</summary>
    public IReadOnlyList<StockLine> Lines { get; init; } = [];

    public DateTimeOffset? ReservedAt { get; init; }
    public DateTimeOffset? ReleasedAt { get; init; }
    public DateTimeOffset? PaidAt { get; init; }
    public DateTimeOffset? RefundedAt { get; init; }
    public DateTimeOffset? ShippedAt { get; init; }
    public OrderOutcome Outcome { get; init; }

    /// <summary>When the order completed or was cancelled (the last terminal event wins).</summary>
    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>The total <c>OrderCompleted</c> names (revenue), when completed.</summary>
    public decimal CompletedTotal { get; init; }

    public string? CancelReason { get; init; }

    /// <summary>
    /// The facts of an order from all of its events, whatever order they arrived in: sorted by producer time, ties broken
    /// by event id, each event id counted once. Each step keeps its first occurrence; the last terminal event decides
    /// the outcome.
    /// </summary>
    public static OrderFacts Derive(Guid orderId, IEnumerable<OrderEvent> events)
    {
        var facts = new OrderFacts(orderId);
        foreach (var e in events.OrderBy(x => x.OccurredAt).ThenBy(x => x.EventId).DistinctBy(x => x.EventId))
        {
            if (e.OrderId != orderId)
                throw new ArgumentException($"Event {e.EventId} is of order {e.OrderId}, not {orderId}.", nameof(events));
            facts = facts.Apply(e.Body, e.OccurredAt);
        }

        return facts;
    }

    OrderFacts Apply(object body, DateTimeOffset at) => body switch
    {
        OrderSubmitted x when SubmittedAt is null => this with
        {
            SubmittedAt = at,
            SubmittedTotal = x.Total,
            Lines = x.Items.GroupBy(line => line.Sku, StringComparer.Ordinal)
                .Select(g => new StockLine(g.Key, g.Sum(line => line.Quantity)))
                .OrderBy(line => line.Sku, StringComparer.Ordinal)
                .ToList(),
        },
        StockReserved when ReservedAt is null => this with { ReservedAt = at },
        StockReleased when ReleasedAt is null => this with { ReleasedAt = at },
        PaymentCaptured when PaidAt is null => this with { PaidAt = at },
        PaymentRefunded when RefundedAt is null => this with { RefundedAt = at },
        ShipmentCreated when ShippedAt is null => this with { ShippedAt = at },
        OrderCompleted x => this with { Outcome = OrderOutcome.Completed, EndedAt = at, CompletedTotal = x.Total, CancelReason = null },
        OrderCancelled x => this with { Outcome = OrderOutcome.Cancelled, EndedAt = at, CompletedTotal = 0, CancelReason = x.Reason },
        _ => this,
    };

    // Value equality including the lines (a record compares lists by reference).
    public bool Equals(OrderFacts? other) =>
        other is not null && OrderId == other.OrderId && SubmittedAt == other.SubmittedAt && SubmittedTotal == other.SubmittedTotal &&
        Lines.SequenceEqual(other.Lines) && ReservedAt == other.ReservedAt && ReleasedAt == other.ReleasedAt && PaidAt == other.PaidAt &&
        RefundedAt == other.RefundedAt && ShippedAt == other.ShippedAt && Outcome == other.Outcome && EndedAt == other.EndedAt &&
        CompletedTotal == other.CompletedTotal && CancelReason == other.CancelReason;

    public override int GetHashCode() => HashCode.Combine(OrderId, SubmittedAt, Outcome, EndedAt, Lines.Count);
}
