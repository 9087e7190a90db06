using Shop.Contracts;

namespace Shop.Analytics.Tests;

/// <summary>Events published as the services publish them, in their natural order, once each.</summary>
public sealed class When_order_events_arrive(AnalyticsService analytics) : IClassFixture<AnalyticsService>
{
    static readonly DateTimeOffset Day = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_project_every_view_as_the_orders_say()
    {
        OrderStory[] stories =
        [
            OrderStory.Completed(Day, new OrderLine("SKU-A", 2, 10m), new OrderLine("SKU-B", 1, 4.5m)),
            OrderStory.Completed(Day.AddHours(1), new OrderLine("SKU-A", 1, 10m)),
            OrderStory.Completed(Day.AddDays(1), new OrderLine("SKU-C", 3, 1m)),
            OrderStory.Cancelled(Day, StoryEnd.CancelledAfterSubmit, CancellationReason.OutOfStock, new OrderLine("SKU-A", 5, 10m)),
            OrderStory.Cancelled(Day, StoryEnd.CancelledAfterReserve, CancellationReason.PaymentDeclined, new OrderLine("SKU-B", 2, 4.5m)),
            OrderStory.Cancelled(Day, StoryEnd.CancelledAfterPayment, CancellationReason.ShippingFailed, new OrderLine("SKU-C", 1, 1m)),
            OrderStory.Cancelled(Day, StoryEnd.CancelledAfterPayment, CancellationReason.PaymentAmountMismatch, new OrderLine("SKU-C", 1, 1m)),
            new(Guid.NewGuid(), Day, [new OrderLine("SKU-D", 1, 2m)], StoryEnd.Open),
        ];

        await analytics.PublishAndWait(stories);

        var views = await analytics.ViewsAsync();
        AnalyticsService.AssertViews(views, stories);
        // Steps 1 s, 2 s and 3 s apart in every story; conversion from the step before.
        Assert.Equal([null, 1.0, 2.0, 3.0], views.Funnel.Steps.Select(x => x.MedianSecondsFromPrevious));
        Assert.Equal(7.0 / 8, views.Funnel.Steps[1].Conversion);
    }
}
