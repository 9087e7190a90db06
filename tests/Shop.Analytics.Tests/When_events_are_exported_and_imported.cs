using System.Net;
using System.Net.Http.Json;
using System.Text;
using Shop.Analytics.Apis;
using Shop.Contracts;
using Shop.Testing;

namespace Shop.Analytics.Tests;

/// <summary>
/// Record and replay: the log exported as JSON lines feeds a fresh Analytics database (a backfill) to the same views,
/// an import of the same file again changes nothing, and a test replays the file through the projections alone.
/// </summary>
public sealed class When_events_are_exported_and_imported(AnalyticsService analytics) : IClassFixture<AnalyticsService>
{
    static readonly DateTimeOffset Day = new(2026, 9, 15, 9, 0, 0, TimeSpan.Zero);

    static readonly OrderStory[] Stories =
    [
        OrderStory.Completed(Day, new OrderLine("SKU-A", 2, 10m)),
        OrderStory.Completed(Day.AddHours(5), new OrderLine("SKU-B", 1, 7.25m), new OrderLine("SKU-A", 1, 10m)),
        OrderStory.Cancelled(Day.AddHours(1), StoryEnd.CancelledAfterReserve, CancellationReason.PaymentDeclined, new OrderLine("SKU-B", 3, 7.25m)),
        OrderStory.Cancelled(Day.AddHours(2), StoryEnd.CancelledAfterPayment, CancellationReason.PaymentAmountMismatch, new OrderLine("SKU-C", 1, 99m)),
    ];

    [Fact]
    public async Task Should_backfill_a_fresh_database_to_the_same_views()
    {
        await analytics.PublishAndWait(Stories);
        var export = await ExportAsync(Day.AddDays(-1), Day.AddDays(1));
        Assert.DoesNotContain("ada@example.com", export);

        await using var fresh = new AnalyticsService();
        await fresh.InitializeAsync();
        var imported = await ImportAsync(fresh.Http, export);
        var again = await ImportAsync(fresh.Http, export);

        Assert.Equal(new ImportResponse(Stories.Sum(x => x.Events().Count), 0), imported);
        Assert.Equal(new ImportResponse(0, imported.Imported), again);
        var views = await fresh.ViewsAsync();
        AnalyticsService.AssertViews(views, Stories);
        Views.Same(await analytics.ViewsAsync(), views);
    }

    [Fact]
    public async Task Should_export_one_order_and_replay_it_in_the_test()
    {
        await analytics.PublishAndWait(Stories[2].Events());

        var export = await ExportAsync(Day.AddDays(-1), Day.AddDays(1), Stories[2].OrderId);
        var path = Path.Combine(Directory.CreateTempSubdirectory("analytics-export-").FullName, "order.jsonl");
        await File.WriteAllTextAsync(path, export);

        Assert.Equal(Stories[2].Events().Count, export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var rows = LogReplay.Rows(path, Domain.Projections.SkuUnits);
        Assert.Equal([new Domain.ViewRow("SKU-B", [0m, 3m])], rows.Select(x => x with { Values = [.. x.Values] }).ToList(), new ViewRowComparer());
    }

    [Fact]
    public async Task Should_refuse_a_line_that_is_not_an_exported_event()
    {
        var response = await analytics.Http.PostAsync("/analytics/events/import",
            new StringContent("{\"eventId\":\"" + Guid.NewGuid() + "\",\"type\":\"order-shipped\",\"schemaVersion\":1}\n", Encoding.UTF8, "application/x-ndjson"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("line 1", await response.Content.ReadAsStringAsync());
    }

    async Task<string> ExportAsync(DateTimeOffset from, DateTimeOffset to, Guid? order = null)
    {
        var query = $"/analytics/events?from={Uri.EscapeDataString(from.ToString("O"))}&to={Uri.EscapeDataString(to.ToString("O"))}";
        if (order is { } id)
            query += $"&order={id}";
        var response = await analytics.Http.GetAsync(query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    static async Task<ImportResponse> ImportAsync(HttpClient http, string lines)
    {
        var response = await http.PostAsync("/analytics/events/import", new StringContent(lines, Encoding.UTF8, "application/x-ndjson"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ImportResponse>(AnalyticsService.Json))!;
    }

    sealed class ViewRowComparer : IEqualityComparer<Domain.ViewRow>
    {
        public bool Equals(Domain.ViewRow? x, Domain.ViewRow? y) => x!.Key == y!.Key && x.Values.SequenceEqual(y.Values);

        public int GetHashCode(Domain.ViewRow obj) => obj.Key.GetHashCode(StringComparison.Ordinal);
    }
}
