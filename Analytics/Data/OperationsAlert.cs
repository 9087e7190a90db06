namespace Shop.Analytics.Data;

/// <summary>
/// A cancellation the operations feed received (<c>OperationsAlerts</c>): one per order, whatever copies arrive.
/// <see cref="RecordedAt"/> is the database's time of the insert.
/// </summary>
public sealed class OperationsAlert
{
    public Guid OrderId { get; set; }
    public Guid EventId { get; set; }
    public string Reason { get; set; } = "";
    public DateTimeOffset CancelledAt { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
