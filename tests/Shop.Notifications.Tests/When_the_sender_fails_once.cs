using Shop.Testing;

namespace Shop.Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class When_the_sender_fails_once(NotificationsService notifications)
{
    readonly Guid _orderId = Guid.NewGuid();

    [Fact]
    public async Task Should_retry_the_message_and_notify_once()
    {
        notifications.Sender.FailFirstSendFor(_orderId);

        await notifications.Bus.Publish(NotificationsService.Completed(_orderId));

        await Eventually.True(() => Task.FromResult(notifications.Sender.SentFor(_orderId).Count > 0), "the notification sent");
        Assert.Equal(2, notifications.Sender.Attempts(_orderId));
        await Consistently.True(() => notifications.Sender.SentFor(_orderId).Count == 1, "one notification sent");
        Assert.Single(await notifications.Notifications(_orderId));
    }
}
