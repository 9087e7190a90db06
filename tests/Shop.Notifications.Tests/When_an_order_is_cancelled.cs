using Shop.Contracts;
using Shop.Notifications.Domain;

namespace Shop.Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class When_an_order_is_cancelled(NotificationsService notifications)
{
    readonly Guid _orderId = Guid.NewGuid();

    [Fact]
    public async Task Should_send_one_cancelled_notification_explaining_the_reason()
    {
        await notifications.PublishAndWait(NotificationsService.Cancelled(_orderId, CancellationReason.OutOfStock));

        var sent = Assert.Single(notifications.Sender.SentFor(_orderId));
        Assert.Equal(NotificationKind.Cancelled, sent.Kind);
        Assert.Contains("out of stock", sent.Text);
        Assert.Single(await notifications.Notifications(_orderId));
    }
}
