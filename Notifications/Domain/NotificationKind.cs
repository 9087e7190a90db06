namespace Shop.Notifications.Domain;

/// <summary>Which order event a notification tells the customer about; at most one notification per order and kind.</summary>
public enum NotificationKind
{
    Completed,
    Cancelled,
}
