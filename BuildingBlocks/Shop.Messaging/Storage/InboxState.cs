namespace Shop.Messaging.Storage;

/// <summary>
/// One row per (message, consumer) that was consumed successfully. Written in the consumer's own transaction, so a
/// redelivered or duplicated message finds it and has no second effect. Rows older than the duplicate-detection
/// window are removed by <see cref="Delivery.InboxCleanupService"/>.
/// </summary>
public sealed class InboxState
{
    public Guid MessageId { get; set; }
    public Guid ConsumerId { get; set; }
    public DateTime Received { get; set; }
}
