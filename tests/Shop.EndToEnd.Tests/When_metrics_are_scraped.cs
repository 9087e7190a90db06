using System.Globalization;
using System.Text.RegularExpressions;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed partial class When_metrics_are_scraped(ShopFixture shop)
{
    [Fact]
    public async Task Should_count_a_submitted_and_a_completed_order()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 1);
        var before = await ScrapeAsync(shop.Orders);

        var orderId = await shop.SubmitOrderAsync(sku);
        Assert.Equal("Completed", (await shop.WaitForFinalStatusAsync(orderId)).Status);

        // Counted after the saga's commit, so the scrape may trail the status by a moment.
        var after = await Eventually.Value(async () =>
            await ScrapeAsync(shop.Orders) is var now && Sum(now, "shop_orders_completed_total") > Sum(before, "shop_orders_completed_total") ? now : null,
            "shop_orders_completed_total to move");
        Assert.True(Sum(after, "shop_orders_submitted_total") > Sum(before, "shop_orders_submitted_total"));
        Assert.True(Sum(after, "shop_orders_duration_seconds_count") > Sum(before, "shop_orders_duration_seconds_count"));
    }

    [Fact]
    public async Task Should_count_a_cancelled_order_by_its_reason()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 1);
        const string declined = """shop_orders_cancelled_total{otel_scope_name="Shop.Orders",reason="PaymentDeclined"}""";
        var before = await ScrapeAsync(shop.Orders);

        var orderId = await shop.SubmitOrderAsync(sku, paymentToken: "tok_chargeDeclined");
        Assert.Equal("Cancelled", (await shop.WaitForFinalStatusAsync(orderId)).Status);

        await Eventually.True(async () => Sum(await ScrapeAsync(shop.Orders), declined) > Sum(before, declined),
            "the PaymentDeclined cancellation to be counted");
    }

    [Fact]
    public async Task Should_expose_messaging_http_and_runtime_metrics_in_every_service()
    {
        foreach (var service in new[] { shop.Orders, shop.Payments, shop.Inventory, shop.Shipping, shop.Notifications })
        {
            var text = await ScrapeAsync(service);
            Assert.Contains("messaging_masstransit_", text);
            Assert.Contains("http_server_request_duration_seconds", text);
            Assert.Contains("dotnet_gc_", text);
        }
    }

    static async Task<string> ScrapeAsync(HttpClient service)
    {
        using var response = await service.GetAsync("/metrics");
        response.EnsureSuccessStatusCode();
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of every series of <paramref name="metric"/> (a name, or a name with its exact labels).</summary>
    static double Sum(string exposition, string metric) =>
        SampleLine().Matches(exposition)
            .Where(match => match.Groups["series"].Value == metric || match.Groups["name"].Value == metric)
            .Sum(match => double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<series>(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})?) (?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex SampleLine();
}
