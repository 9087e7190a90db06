using Shop.Contracts;

namespace Shop.Analytics.Tests;

/// <summary>
/// The same orders as <see cref="When_order_events_arrive"/> would send, but every event delivered twice (once under its
/// id, once as a copy under a new id), each order's events in reverse, and one order's submission arriving last of
/// all: the views must come out exactly as the orders say.
/// </summary>
public sealed class When_events_arrive_twice_reversed_and_late(AnalyticsService analytics) : IClassFixture<AnalyticsService>
{
    static readonly DateTimeOffset Day = new(2026, 11, 20, 23, 59, 58, TimeSpan.Zero);

    [Fact]
    public async Task Should_give_the_views_the_orders_say()
    {
        OrderStory[] stories =
        [
            // Crosses midnight: submitted one day, completed the next.
            OrderStory.Completed(Day, new OrderLine("SKU-A", 2, 10m), new OrderLine("SKU-B", 1, 4.5m)),
            OrderStory.Completed(Day.AddHours(-3), new OrderLine("SKU-A", 1, 10m)),
            OrderStory.Cancelled(Day, StoryEnd.CancelledAfterSubmit, CancellationReason.OutOfStock, new OrderLine("SKU-A", 5, 10m)),
            OrderStory.Cancelled(Day, StoryEnd.CancelledAfterPayment, CancellationReason.ShippingFailed, new OrderLine("SKU-C", 1, 1m)),
        ];
        var late = stories[0].Events()[0];
        var deliveries = stories.SelectMany(story => story.Events().Reverse())
            .Where(x => x.EventId != late.EventId)
            .SelectMany(x => new[] { x, x, (Guid.NewGuid(), x.Message) })
            .ToList();

        await analytics.PublishAndWait(deliveries);
        await analytics.PublishAndWait([late, late]);

        var views = await analytics.ViewsAsync();
        AnalyticsService.AssertViews(views, stories);
        // Re-derived from the log, the same numbers.
        Views.Same(views, await analytics.ViewsAsync($"?asOf={DateTimeOffset.UtcNow.AddDays(1):O}"));
    }
}
