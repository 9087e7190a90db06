namespace Shop.Analytics.Data;

/// <summary>
/// A row of the append-only event log (<c>Events</c>): never updated or deleted. <see cref="OccurredAt"/> is the
/// producer's time (the event's own), <see cref="RecordedAt"/> the database's when the row was written. Besides these
/// columns each provider stamps the row for gap-safe replays: <c>TxId</c> (PostgreSQL, the writing transaction's id)
/// or <c>RowVersion</c> (SQL Server).
/// </summary>
public sealed class LoggedEvent
{
    /// <summary>Insertion order; NOT a safe replay cursor (rows commit out of order): see <c>EventLogReader</c>.</summary>
    public long Position { get; set; }

    public Guid EventId { get; set; }
    public string Type { get; set; } = "";
    public int SchemaVersion { get; set; }
    public Guid OrderId { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public string Body { get; set; } = "";
}
