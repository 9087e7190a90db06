using Shop.Notifications.Domain;
using Shop.ServiceDefaults;

namespace Shop.Notifications.Gateways;

/// <summary>
/// The stand-in for an e-mail gateway: writes each notification as one structured log line, the address masked (the
/// full address is in the Notifications database, where the notification is recorded).
/// </summary>
public sealed class LoggingNotificationSender(ILogger<LoggingNotificationSender> logger) : INotificationSender
{
    public Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        logger.LogInformation("Email to {Email}: order {OrderId} {Kind}: {Text}", PersonalData.MaskEmail(notification.Recipient), notification.OrderId,
            notification.Kind, notification.Text);
        return Task.CompletedTask;
    }
}
