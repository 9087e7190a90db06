namespace Shop.Messaging.Storage;

/// <summary>
/// A group of outbox messages written by one unit of work, delivered together and in order. The delivery service locks
/// this row (skip-locked), so two instances never deliver the same group. Scheduled messages get a group of their own,
/// due at their scheduled time.
/// </summary>
public sealed class OutboxState
{
    public Guid OutboxId { get; set; }
    public DateTime DueTime { get; set; }
    public DateTime Created { get; set; }
}
