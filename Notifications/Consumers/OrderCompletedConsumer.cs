using Shop.Contracts;
using Shop.Notifications.Data;
using Shop.Notifications.Domain;
using Shop.Notifications.Gateways;

namespace Shop.Notifications.Consumers;

/// <summary>Tells the customer that the order ships, with its tracking number (exactly once: see <see cref="NotificationConsumer{TEvent}"/>).</summary>
public sealed class OrderCompletedConsumer(
    NotificationsDbContext dbContext,
    INotificationSender sender,
    TimeProvider clock,
    ILogger<OrderCompletedConsumer> logger) : NotificationConsumer<OrderCompleted>(dbContext, sender, clock, logger)
{
    protected override Notification Compose(OrderCompleted message, DateTimeOffset now) => Notification.For(message, now);
}
