using System.Net;
using Shop.Contracts;
using Shop.Testing;

namespace Shop.Analytics.Tests;

/// <summary>What the log keeps of each event, and who may read the views how.</summary>
public sealed class When_order_events_are_logged(AnalyticsService analytics) : IClassFixture<AnalyticsService>
{
    static readonly DateTimeOffset Day = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_keep_each_event_once_in_the_log_with_its_producer_time_and_without_personal_data()
    {
        var story = OrderStory.Completed(Day, new OrderLine("SKU-LOG", 1, 3m));

        await analytics.PublishAndWait(story.Events());
        await analytics.PublishAndWait(story.Events());

        Assert.Equal(5, await analytics.Database.ScalarAsync<long>($"SELECT count(*) FROM \"Events\" WHERE \"OrderId\" = '{story.OrderId}'"));
        Assert.Equal(0, await analytics.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"Events\" WHERE \"OrderId\" = '{story.OrderId}' AND (\"Body\" LIKE '%ada@example.com%' OR \"Body\" LIKE '%Berlin%')"));
        Assert.Equal(story.Start.UtcDateTime, await analytics.Database.ScalarAsync<DateTime>(
            $"SELECT \"OccurredAt\" FROM \"Events\" WHERE \"OrderId\" = '{story.OrderId}' AND \"Type\" = 'order-submitted'"));
        Assert.Equal(2, await analytics.Database.ScalarAsync<int>(
            $"SELECT \"SchemaVersion\" FROM \"Events\" WHERE \"OrderId\" = '{story.OrderId}' AND \"Type\" = 'order-submitted'"));
    }

    [Fact]
    public async Task Should_refuse_to_change_or_remove_a_logged_event()
    {
        var story = OrderStory.Completed(Day, new OrderLine("SKU-LOG2", 1, 3m));
        await analytics.PublishAndWait(story.Events());

        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() =>
            analytics.Database.ExecuteAsync($"UPDATE \"Events\" SET \"Body\" = '{{}}' WHERE \"OrderId\" = '{story.OrderId}'"));
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() =>
            analytics.Database.ExecuteAsync($"DELETE FROM \"Events\" WHERE \"OrderId\" = '{story.OrderId}'"));
    }

    [Fact]
    public async Task Should_take_a_version_1_submission_through_the_same_facts()
    {
        var story = OrderStory.Completed(Day.AddDays(2), new OrderLine("SKU-V1", 4, 2m));
        var events = story.Events().ToList();
        var v2 = (OrderSubmitted)events[0].Message;
        events[0] = (events[0].EventId, new OrderSubmittedV1(v2.OrderId, v2.CustomerId, v2.Email, v2.Items, v2.Total, "tok_secret", v2.ShippingAddress, v2.SubmittedAt));

        await analytics.PublishAndWait(events);

        var skus = await analytics.GetAsync<List<Domain.SkuUnits>>("/analytics/skus");
        Assert.Contains(new Domain.SkuUnits("SKU-V1", 4, 0), skus);
        Assert.Equal(1, await analytics.Database.ScalarAsync<int>(
            $"SELECT \"SchemaVersion\" FROM \"Events\" WHERE \"OrderId\" = '{story.OrderId}' AND \"Type\" = 'order-submitted'"));
        Assert.Equal(0, await analytics.Database.ScalarAsync<long>($"SELECT count(*) FROM \"Events\" WHERE \"Body\" LIKE '%tok_secret%'"));
    }

    [Fact]
    public async Task Should_consume_version_1_and_version_2_submissions_side_by_side()
    {
        // Two orders of one SKU, submitted by an old producer (v1) and a current one (v2), in one batch.
        var old = OrderStory.Completed(Day.AddDays(3), new OrderLine("SKU-V1V2", 2, 5m));
        var current = OrderStory.Cancelled(Day.AddDays(3).AddMinutes(1), StoryEnd.CancelledAfterReserve, CancellationReason.PaymentDeclined,
            new OrderLine("SKU-V1V2", 3, 5m));
        var events = old.Events().ToList();
        var v2 = (OrderSubmitted)events[0].Message;
        events[0] = (events[0].EventId, new OrderSubmittedV1(v2.OrderId, v2.CustomerId, v2.Email, v2.Items, v2.Total, "tok_visa", v2.ShippingAddress, v2.SubmittedAt));

        await analytics.PublishAndWait(events.Concat(current.Events()).OrderBy(x => x.Message is OrderSubmitted or OrderSubmittedV1 ? 0 : 1));

        var skus = await analytics.GetAsync<List<Domain.SkuUnits>>("/analytics/skus");
        Assert.Contains(new Domain.SkuUnits("SKU-V1V2", 2, 3), skus);
        var versions = await analytics.Database.ScalarAsync<long>(
            $"SELECT count(DISTINCT \"SchemaVersion\") FROM \"Events\" WHERE \"Type\" = 'order-submitted' AND \"OrderId\" IN ('{old.OrderId}', '{current.OrderId}')");
        Assert.Equal(2, versions);
        var revenue = await analytics.GetAsync<List<Domain.RevenueDay>>(
            $"/analytics/revenue?asOf={Uri.EscapeDataString(Day.AddDays(4).ToString("O"))}");
        Assert.Contains(revenue, x => x.Day == DateOnly.FromDateTime(Day.AddDays(3).UtcDateTime) && x.OrdersSubmitted >= 2 && x.Revenue >= 10m);
    }

    [Fact]
    public async Task Should_show_the_lag_from_occurred_to_visible()
    {
        var story = OrderStory.Completed(DateTimeOffset.UtcNow.AddSeconds(-30), new OrderLine("SKU-LAG", 1, 1m));
        await analytics.PublishAndWait(story.Events());

        var lag = await analytics.GetAsync<LagView>("/analytics/lag");

        Assert.True(lag.Events > 0);
        Assert.True(lag.MaxSeconds >= 20, $"max lag {lag.MaxSeconds}");
        Assert.True(lag.P50Seconds <= lag.P99Seconds && lag.P99Seconds <= lag.MaxSeconds, $"p50 {lag.P50Seconds}, p99 {lag.P99Seconds}, max {lag.MaxSeconds}");
        Assert.Equal(lag.P50Seconds, lag.MedianSeconds);

        // Since a time: only the events recorded from then on (a load test's window); none recorded in the future.
        var since = DateTimeOffset.UtcNow.AddMinutes(10);
        var none = await analytics.GetAsync<LagView>($"/analytics/lag?since={Uri.EscapeDataString(since.ToString("O"))}");
        Assert.Equal(0, none.Events);
        Assert.Null(none.P99Seconds);
        Assert.Equal(since, none.Since);
        var window = await analytics.GetAsync<LagView>($"/analytics/lag?since={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"))}");
        Assert.True(window.Events >= 5 && window.P99Seconds >= 20, $"{window.Events} events, p99 {window.P99Seconds}");

        var metrics = await analytics.Service.ClientFor(null).GetStringAsync("/metrics");
        Assert.Contains("shop_analytics_lag_seconds_bucket", metrics);
    }

    [Fact]
    public async Task Should_refuse_callers_who_are_not_operators()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await analytics.Service.ClientFor(null).GetAsync("/analytics/skus")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await analytics.Service.ClientFor(TestTokens.Customer("ada")).GetAsync("/analytics/skus")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden,
            (await analytics.Service.ClientFor(TestTokens.Customer("ada")).PostAsync("/analytics/projections/rebuild", null)).StatusCode);
    }

    [Theory]
    [InlineData("/analytics/skus?asOf=yesterday", "asOf")]
    [InlineData("/analytics/skus?asOf=2026-12-01T00:00:00", "asOf")]
    [InlineData("/analytics/revenue?asOf=2026-12-01T00:00:00Z&axis=processed", "axis")]
    [InlineData("/analytics/funnel?axis=recorded", "axis")]
    [InlineData("/analytics/lag?since=an-hour-ago", "since")]
    [InlineData("/analytics/events?to=2026-12-01T00:00:00Z", "from")]
    [InlineData("/analytics/events?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z", "to")]
    [InlineData("/analytics/events?from=2026-12-01T00:00:00Z&to=2026-12-02T00:00:00Z&order=x", "order")]
    public async Task Should_answer_400_naming_the_field(string path, string field)
    {
        var response = await analytics.Http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", body);
    }

    [Fact]
    public async Task Should_answer_400_for_an_unknown_projection()
    {
        var response = await analytics.Http.PostAsync("/analytics/projections/nope/rebuild", null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"name\"", await response.Content.ReadAsStringAsync());
    }

    sealed record LagView(int Events, double? MedianSeconds, double? MaxSeconds, DateTimeOffset? LastRecordedAt, double? P50Seconds,
        double? P99Seconds, DateTimeOffset? Since);
}
