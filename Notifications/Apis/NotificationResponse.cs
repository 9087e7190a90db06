using Shop.Notifications.Domain;

namespace Shop.Notifications.Apis;

public sealed record NotificationResponse(Guid OrderId, NotificationKind Kind, string Recipient, DateTimeOffset SentAt, string Text);
