using Shop.Contracts;

namespace Shop.Analytics.Tests;

/// <summary>
/// <c>asOf</c> on both axes: occurred (what had happened by then, late arrivals included) and recorded (what the shop
/// knew then: a report that never changes afterwards).
/// </summary>
public sealed class When_views_are_read_as_of(AnalyticsService analytics) : IClassFixture<AnalyticsService>
{
    static readonly DateTimeOffset Morning = new(2026, 10, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_exclude_by_the_time_of_the_chosen_axis()
    {
        // Known first: an order of 10:00. Known later: one that had happened earlier, at 09:00 (a late arrival).
        var first = OrderStory.Completed(Morning, new OrderLine("SKU-FIRST", 1, 5m));
        var late = OrderStory.Completed(Morning.AddHours(-1), new OrderLine("SKU-LATE", 2, 5m));
        await analytics.PublishAndWait(first.Events());
        var knownThen = await DatabaseNowAsync();
        var reportThen = await analytics.ViewsAsync(Query(knownThen, "recorded"));
        await analytics.PublishAndWait(late.Events());

        // Occurred by 09:30: only the late order had happened.
        AnalyticsService.AssertViews(await analytics.ViewsAsync(Query(Morning.AddMinutes(-30), "occurred")), [late]);
        // The default axis is occurred.
        AnalyticsService.AssertViews(await analytics.ViewsAsync($"?asOf={Morning.AddMinutes(-30):O}"), [late]);
        // Occurred by the moment the first was recorded: both had happened by then.
        AnalyticsService.AssertViews(await analytics.ViewsAsync(Query(knownThen, "occurred")), [first, late]);
        // Recorded by that moment: only the first was known.
        AnalyticsService.AssertViews(await analytics.ViewsAsync(Query(knownThen, "recorded")), [first]);
        // And that report is the one given at the time.
        Views.Same(reportThen, await analytics.ViewsAsync(Query(knownThen, "recorded")));
        // Half-way through the first order: submitted and reserved only.
        var halfway = await analytics.ViewsAsync(Query(Morning.AddSeconds(2), "occurred"));
        Assert.Equal([2L, 2, 1, 1], halfway.Funnel.Steps.Select(x => x.Orders));
        Assert.DoesNotContain(halfway.Skus, x => x.Sku == "SKU-FIRST");
    }

    static string Query(DateTimeOffset time, string axis) => $"?asOf={Uri.EscapeDataString(time.ToString("O"))}&axis={axis}";

    async Task<DateTimeOffset> DatabaseNowAsync() =>
        await analytics.Database.ScalarAsync<DateTime>("SELECT clock_timestamp() AT TIME ZONE 'UTC'") is var now
            ? new DateTimeOffset(DateTime.SpecifyKind(now, DateTimeKind.Utc))
            : default;
}
