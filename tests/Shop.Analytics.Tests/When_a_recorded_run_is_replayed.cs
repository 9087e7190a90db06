using System.Net.Http.Json;
using System.Text;
using Shop.Analytics.Apis;
using Shop.Analytics.Domain;

namespace Shop.Analytics.Tests;

/// <summary>
/// Recorded/shop-run-2026-12-07.jsonl is the log of a real run of the whole shop (<c>When_orders_go_through_the_shop</c>,
/// exported as <c>GET /analytics/events</c> writes it): five orders, three completed, one declined, one out of stock.
/// Replayed through the projections in the test, and imported into a fresh Analytics, it gives that run's numbers.
/// </summary>
public sealed class When_a_recorded_run_is_replayed(AnalyticsService analytics) : IClassFixture<AnalyticsService>
{
    const string Sold = "AN-AB5CF9DDFD624";
    const string Other = "AN-F55275378F984";
    static readonly string Recording = LogReplay.Recording("shop-run-2026-12-07.jsonl");

    static readonly SkuUnits[] Skus = [new(Sold, 1, 6), new(Other, 3, 0)];
    static readonly CancellationCount[] Cancellations = [new("OutOfStock", 1), new("PaymentDeclined", 1)];
    static readonly RevenueDay[] Revenue = [new(new DateOnly(2026, 12, 7), 5, 3, 2, 21.50m)];
    static readonly long[] Funnel = [5, 4, 3, 3];

    [Fact]
    public void Should_reproduce_the_run_through_the_projections_alone()
    {
        var facts = LogReplay.Facts(Recording);

        Assert.Equal(Skus, Reports.Skus(Domain.Projections.SkuUnits.Rows(facts)));
        Assert.Equal(Cancellations, Reports.Cancellations(Domain.Projections.CancellationsByReason.Rows(facts)));
        Assert.Equal(Revenue, Reports.Revenue(Domain.Projections.RevenueByDay.Rows(facts)));
        Assert.Equal(Funnel, Reports.Funnel(Domain.Projections.FunnelByStep.Rows(facts), facts).Steps.Select(x => x.Orders));
    }

    [Fact]
    public async Task Should_reproduce_the_run_when_imported_into_a_fresh_database()
    {
        var response = await analytics.Http.PostAsync("/analytics/events/import",
            new StringContent(await File.ReadAllTextAsync(Recording), Encoding.UTF8, "application/x-ndjson"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal(21, (await response.Content.ReadFromJsonAsync<ImportResponse>(AnalyticsService.Json))!.Imported);

        var views = await analytics.ViewsAsync();

        Assert.Equal(Skus, views.Skus);
        Assert.Equal(Cancellations, views.Cancellations);
        Assert.Equal(Revenue, views.Revenue);
        Assert.Equal(Funnel, views.Funnel.Steps.Select(x => x.Orders));
        // The producers' times travel with the events: the funnel's medians are the run's, not the import's.
        Views.Same(views, await analytics.ViewsAsync($"?asOf={Uri.EscapeDataString(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero).ToString("O"))}"));
    }
}
