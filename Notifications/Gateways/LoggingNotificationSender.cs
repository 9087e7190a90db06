using Shop.Notifications.Domain;

namespace Shop.Notifications.Gateways;

/// <summary>The stand-in for an e-mail gateway: writes each notification as one structured log line.</summary>
public sealed class LoggingNotificationSender(ILogger<LoggingNotificationSender> logger) : INotificationSender
{
    public Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        logger.LogInformation("Email to {Email}: order {OrderId} {Kind}: {Text}", notification.Recipient, notification.OrderId,
            notification.Kind, notification.Text);
        return Task.CompletedTask;
    }
}
