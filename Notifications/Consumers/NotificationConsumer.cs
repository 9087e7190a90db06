using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Notifications.Data;
using Shop.Notifications.Domain;
using Shop.Notifications.Gateways;

namespace Shop.Notifications.Consumers;

/// <summary>
/// Sends the customer exactly one notification per order and kind, however often the event arrives. Under the
/// endpoint's transactional outbox it first inserts the notification row — unique per (order, kind) — in the message's
/// transaction, then sends, and the transaction commits only after the send returned:
/// <list type="bullet">
/// <item>a duplicate (any MessageId) finds the row and sends nothing; a concurrent duplicate waits on the unique index
/// until this transaction ends, then fails with a unique violation, is retried and finds the committed row;</item>
/// <item>a send that throws rolls the row back, so the whole message is retried and sends again later.</item>
/// </list>
/// What remains at-least-once: the send succeeded but the commit did not (process crash, lost database connection
/// between send and commit). The row is rolled back, the message is redelivered, and the customer gets the message a
/// second time. Only a sender that accepts an idempotency key (the notification's Id) could close that window.
/// </summary>
public abstract class NotificationConsumer<TEvent>(
    NotificationsDbContext dbContext,
    INotificationSender sender,
    TimeProvider clock,
    ILogger logger) : IConsumer<TEvent>
    where TEvent : class
{
    protected abstract Notification Compose(TEvent message, DateTimeOffset now);

    public async Task Consume(ConsumeContext<TEvent> context)
    {
        var notification = Compose(context.Message, clock.GetUtcNow());
        var alreadySent = await dbContext.Notifications.AnyAsync(
            x => x.OrderId == notification.OrderId && x.Kind == notification.Kind, context.CancellationToken);
        if (alreadySent)
        {
            logger.LogInformation("{Kind} notification already sent; duplicate event ignored", notification.Kind);
            return;
        }

        dbContext.Notifications.Add(notification);
        await dbContext.SaveChangesAsync(context.CancellationToken);
        await sender.SendAsync(notification, context.CancellationToken);
    }
}
