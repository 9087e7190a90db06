namespace Shop.Orders.Timeline;

/// <summary>
/// One line of an order's history (table <c>OrderTimeline</c>, append-only): a message the saga handled, a message it
/// sent, scheduled or unscheduled, or a state transition. Written in the saga's own transaction, so it never disagrees with
/// <c>OrderState</c>; <see cref="Sequence"/> numbers an order's lines in the order they happened.
/// </summary>
public sealed class OrderTimelineEntry
{
    public const int NameLength = 128;
    public const int DetailLength = 1000;

    public Guid OrderId { get; init; }
    public int Sequence { get; init; }
    public DateTimeOffset At { get; init; }
    public OrderTimelineKind Kind { get; init; }

    /// <summary>The message type (Received, Sent, Faulted), the new state (Transitioned) or the operator's action and
    /// message type (OperatorAction).</summary>
    public required string Name { get; init; }

    /// <summary>Where a message went, the state left (and the new state's deadline), or why a step failed.</summary>
    public string? Detail { get; init; }
}

public enum OrderTimelineKind
{
    /// <summary>The saga handled a message.</summary>
    Received,

    /// <summary>The saga sent a command or published an event.</summary>
    Sent,

    /// <summary>Older timelines only: the saga scheduled a timeout in the outbox (deadlines are on the order's row now).</summary>
    Scheduled,

    /// <summary>The order moved to another state.</summary>
    Transitioned,

    /// <summary>A service gave up on a command the saga sent: its <c>Fault&lt;T&gt;</c> arrived (the command is in an <c>_error</c> queue).</summary>
    Faulted,

    /// <summary>Older timelines only: the saga withdrew a timeout it had scheduled in the outbox.</summary>
    Unscheduled,

    /// <summary>An operator re-drove or discarded a message of the order (the console, through Orders' API): who, what, result.</summary>
    OperatorAction,
}
