using Shop.Contracts;
using Shop.Notifications.Data;
using Shop.Notifications.Domain;
using Shop.Notifications.Gateways;

namespace Shop.Notifications.Consumers;

/// <summary>Tells the customer that the order was cancelled and why (exactly once: see <see cref="NotificationConsumer{TEvent}"/>).</summary>
public sealed class OrderCancelledConsumer(
    NotificationsDbContext dbContext,
    INotificationSender sender,
    TimeProvider clock,
    ILogger<OrderCancelledConsumer> logger) : NotificationConsumer<OrderCancelled>(dbContext, sender, clock, logger)
{
    protected override Notification Compose(OrderCancelled message, DateTimeOffset now) => Notification.For(message, now);
}
