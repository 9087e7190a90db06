using System.Net.Http.Json;
using Shop.Contracts;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Analytics.Tests.EndToEnd;

/// <summary>
/// Orders through the five services (and the payment provider): completed, declined, out of stock. Once Analytics has
/// seen their events, each view equals what Orders says of the orders, computed here from <c>GET /orders/{id}</c>.
/// </summary>
public sealed class When_orders_go_through_the_shop(AnalyticsShop shop) : IClassFixture<AnalyticsShop>
{
    [Fact]
    public async Task Should_project_what_the_orders_say()
    {
        var sku = $"AN-{Guid.NewGuid():N}"[..16].ToUpperInvariant();
        var other = $"AN-{Guid.NewGuid():N}"[..16].ToUpperInvariant();
        await shop.SetPriceAsync(sku, 12.50m);
        await shop.SetPriceAsync(other, 3m);
        await SetStockAsync(sku, 3);
        await SetStockAsync(other, 10);

        // A feed of declined payments, routed by content like the operations feed: the saga's OrderCancelled carries its
        // reason in a header from the outbox row to the broker, which the headers exchange matches.
        await using var declinedFeed = await TestBus.StartAsync(shop.VirtualHost, (bus, endpoint) =>
        {
            var rabbit = (MassTransit.IRabbitMqReceiveEndpointConfigurator)endpoint;
            rabbit.ConfigureConsumeTopology = false;
            rabbit.Bind(MessageRoutes.ExchangeOf(typeof(OrderCancelled)), routed =>
            {
                routed.ExchangeType = "headers";
                routed.SetBindingArgument("x-match", "all");
                routed.SetBindingArgument(MessageRoutes.HeaderOf(nameof(OrderCancelled.Reason)), CancellationReason.PaymentDeclined);
                routed.Bind($"{typeof(OrderCancelled).Namespace}:{nameof(OrderCancelled)}", message => message.ExchangeType = "fanout");
            });
            bus.Observe<OrderCancelled>(endpoint);
        }, "test-declined-feed");

        var placed = new List<Guid>
        {
            await shop.SubmitOrderAsync(sku, 1),
            await shop.SubmitOrderAsync(other, 2),
            await shop.SubmitOrderAsync(sku, 1, paymentToken: "tok_chargeDeclined"),
            await shop.SubmitOrderAsync(sku, 5),
            await shop.SubmitOrderAsync(other, 1),
        };
        var orders = new List<OrderDetails>();
        foreach (var id in placed)
            orders.Add(await shop.WaitForStatusAsync(id, "Completed", "Cancelled"));

        var expectedSkus = orders.SelectMany(order => order.Items.Select(item => (item.Sku, order.Status, item.Quantity)))
            .GroupBy(x => x.Sku)
            .Select(g => new Domain.SkuUnits(g.Key, g.Where(x => x.Status == "Completed").Sum(x => (long)x.Quantity),
                g.Where(x => x.Status == "Cancelled").Sum(x => (long)x.Quantity)))
            .OrderBy(x => x.Sku, StringComparer.Ordinal)
            .ToList();
        var expectedReasons = orders.Where(x => x.Status == "Cancelled").GroupBy(x => x.CancellationReason!)
            .Select(g => new Domain.CancellationCount(g.Key, g.Count())).OrderByDescending(x => x.Orders).ThenBy(x => x.Reason, StringComparer.Ordinal).ToList();
        Assert.Contains(expectedReasons, x => x.Reason == CancellationReason.PaymentDeclined);
        Assert.Contains(expectedReasons, x => x.Reason == CancellationReason.OutOfStock);

        // Every order's end, completions included: each event reaches the views on its own, in any order.
        var completed = orders.Count(x => x.Status == "Completed");
        await Eventually.True(async () =>
        {
            var funnel = await AnalyticsService.GetAsync<Domain.Funnel>(shop.Analytics, "/analytics/funnel");
            var cancellations = await AnalyticsService.GetAsync<List<Domain.CancellationCount>>(shop.Analytics, "/analytics/cancellations");
            var skus = await AnalyticsService.GetAsync<List<Domain.SkuUnits>>(shop.Analytics, "/analytics/skus");
            return funnel.Steps[0].Orders == placed.Count && funnel.Steps[3].Orders == completed
                && cancellations.Sum(x => x.Orders) == expectedReasons.Sum(x => x.Orders)
                && skus.Sum(x => x.UnitsSold + x.UnitsCancelled) == expectedSkus.Sum(x => x.UnitsSold + x.UnitsCancelled);
        }, "Analytics has every order's end");

        var views = await AnalyticsService.ViewsAsync(shop.Analytics);
        Assert.Equal(expectedSkus, views.Skus);
        Assert.Equal(expectedReasons, views.Cancellations);
        Assert.Equal(orders.Where(x => x.Status == "Completed").Sum(x => x.Total), views.Revenue.Sum(x => x.Revenue));
        Assert.Equal(completed, views.Revenue.Sum(x => x.OrdersCompleted));
        Assert.Equal(completed, views.Funnel.Steps[3].Orders);
        // The log re-derived gives the same numbers as the live tables.
        Views.Same(views, await AnalyticsService.ViewsAsync(shop.Analytics, $"?asOf={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(5).ToString("O"))}"));

        var declined = orders.Where(x => x.CancellationReason == CancellationReason.PaymentDeclined).Select(x => x.OrderId).ToList();
        await declinedFeed.WaitForCount<OrderCancelled>(_ => true, declined.Count, "the declined orders in the feed");
        Assert.Equal(declined.Order(), declinedFeed.Received<OrderCancelled>(_ => true).Select(x => x.OrderId).Order());

        // Kept for a recording: the JSON lines of this run (tests/Shop.Analytics.Tests/Recorded holds one).
        var export = await shop.Analytics.GetStringAsync(
            $"/analytics/events?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"))}&to={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(1).ToString("O"))}");
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "shop-analytics-e2e.jsonl"), export);
    }

    async Task SetStockAsync(string sku, int onHand)
    {
        var response = await shop.Inventory.PutAsJsonAsync($"/stock/{sku}", new { onHand }, ShopStack.Json);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
