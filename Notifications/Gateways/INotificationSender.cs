using Shop.Notifications.Domain;

namespace Shop.Notifications.Gateways;

/// <summary>Delivers a notification to its recipient (e-mail in production). Throws when it could not.</summary>
public interface INotificationSender
{
    Task SendAsync(Notification notification, CancellationToken cancellationToken);
}
