using System.Text.Json;
using Shop.Notifications.Domain;

namespace Shop.Notifications.Tests;

[Collection(NotificationsCollection.Name)]
public sealed class When_an_order_completes(NotificationsService notifications)
{
    readonly Guid _orderId = Guid.NewGuid();

    [Fact]
    public async Task Should_send_one_completed_notification_with_the_tracking_number()
    {
        await notifications.PublishAndWait(NotificationsService.Completed(_orderId));

        var sent = Assert.Single(notifications.Sender.SentFor(_orderId));
        Assert.Equal((NotificationKind.Completed, "ada@example.com"), (sent.Kind, sent.Recipient));
        Assert.Contains("SHP-ABCDE12345", sent.Text);
        Assert.Contains("42.50", sent.Text);
        Assert.Equal(sent.Id, Assert.Single(await notifications.Notifications(_orderId)).Id);
    }

    [Fact]
    public async Task Should_return_the_notification_over_http()
    {
        await notifications.PublishAndWait(NotificationsService.Completed(_orderId));
        var sent = Assert.Single(notifications.Sender.SentFor(_orderId));

        using var json = JsonDocument.Parse(await notifications.Http.GetStringAsync($"/notifications?orderId={_orderId}"));

        var notification = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(["orderId", "kind", "recipient", "sentAt", "text"], notification.EnumerateObject().Select(x => x.Name));
        Assert.Equal(_orderId, notification.GetProperty("orderId").GetGuid());
        Assert.Equal("Completed", notification.GetProperty("kind").GetString());
        Assert.Equal("ada@example.com", notification.GetProperty("recipient").GetString());
        Assert.Equal(sent.Text, notification.GetProperty("text").GetString());
        Assert.True(notification.GetProperty("sentAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1));
    }
}
