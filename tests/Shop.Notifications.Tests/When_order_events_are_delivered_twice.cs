using Shop.Notifications.Domain;
using Shop.Testing;

namespace Shop.Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class When_order_events_are_delivered_twice(NotificationsService notifications)
{
    readonly Guid _orderId = Guid.NewGuid();

    [Fact]
    public async Task Should_notify_once_for_a_redelivery_with_the_same_MessageId()
    {
        var messageId = Guid.NewGuid();
        await notifications.PublishAndWait(NotificationsService.Completed(_orderId), messageId);

        await notifications.PublishAndWait(NotificationsService.Completed(_orderId), messageId);

        await Consistently.True(() => notifications.Sender.SentFor(_orderId).Count == 1, "one notification sent");
        Assert.Single(await notifications.Notifications(_orderId));
        Assert.Equal(0, await notifications.RedeliveriesPending(_orderId));
    }

    [Fact]
    public async Task Should_notify_once_for_a_copy_with_a_new_MessageId()
    {
        await notifications.PublishAndWait(NotificationsService.Cancelled(_orderId));

        await notifications.PublishAndWait(NotificationsService.Cancelled(_orderId));

        await Consistently.True(() => notifications.Sender.SentFor(_orderId).Count == 1, "one notification sent");
        Assert.Single(await notifications.Notifications(_orderId));
        Assert.Equal(0, await notifications.RedeliveriesPending(_orderId));
    }

    [Fact]
    public async Task Should_notify_once_when_copies_arrive_together()
    {
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => notifications.PublishAndWait(NotificationsService.Completed(_orderId))));

        await Consistently.True(() => notifications.Sender.SentFor(_orderId).Count == 1, "one notification sent");
        Assert.Single(await notifications.Notifications(_orderId));
        Assert.Equal(0, await notifications.RedeliveriesPending(_orderId));
    }

    [Fact]
    public async Task Should_notify_once_per_kind()
    {
        await notifications.PublishAndWait(NotificationsService.Completed(_orderId));
        await notifications.PublishAndWait(NotificationsService.Cancelled(_orderId));
        await notifications.PublishAndWait(NotificationsService.Completed(_orderId));
        await notifications.PublishAndWait(NotificationsService.Cancelled(_orderId));

        await Consistently.True(() => notifications.Sender.SentFor(_orderId).Count == 2, "two notifications sent");
        Assert.Equal([NotificationKind.Completed, NotificationKind.Cancelled],
            (await notifications.Notifications(_orderId)).Select(x => x.Kind).Order());
        Assert.Equal(0, await notifications.RedeliveriesPending(_orderId));
    }
}
