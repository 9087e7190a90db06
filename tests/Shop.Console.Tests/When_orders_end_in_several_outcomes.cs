using Microsoft.Playwright;

namespace Shop.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class When_orders_end_in_several_outcomes(ConsoleFixture shop)
{
    [Fact]
    public async Task Should_show_the_databases_counts_on_the_overview_and_each_orders_timeline()
    {
        var sku = ConsoleFixture.NewSku();
        await shop.SetStockAsync(sku, onHand: 3);
        var completed = await shop.SubmitOrderAsync(sku);
        var declined = await shop.SubmitOrderAsync(sku, paymentToken: ConsoleFixture.DeclinedToken);
        var outOfStock = await shop.SubmitOrderAsync(sku, quantity: 50);
        foreach (var orderId in new[] { completed, declined, outOfStock })
            await shop.WaitForStatusAsync(orderId, "Completed", "Cancelled");

        var page = await shop.SignedInPageAsync();
        await page.GotoAsync(shop.ConsoleAddress.ToString());
        // Hold the page still while it is read.
        await page.Locator("#pause").ClickAsync();
        Assert.Equal("true", await page.Locator("#pause").GetAttributeAsync("aria-pressed"));

        var expected = await CountsByStateAsync();
        Assert.True(expected.GetValueOrDefault("Completed") >= 1 && expected.GetValueOrDefault("Cancelled") >= 2);
        foreach (var state in new[] { "Submitted", "Reserved", "Paid", "Compensating", "Completed", "Cancelled" })
        {
            var box = page.Locator($"svg.saga a.state[data-state=\"{state}\"]");
            Assert.Equal(1, await box.CountAsync());
            Assert.Equal(expected.GetValueOrDefault(state).ToString(), await box.GetAttributeAsync("data-count"));
            Assert.Equal($"/orders?state={state}", await box.GetAttributeAsync("href"));
        }

        // The last hour's chart counts the same outcomes (by reason).
        var legend = await page.Locator("ul.legend").InnerTextAsync();
        Assert.Contains("Cancelled: PaymentDeclined", legend);
        Assert.Contains("Cancelled: OutOfStock", legend);
        await shop.ScreenshotAsync(page, "console-overview.png");

        // A state's box leads to its orders; the order's page shows its timeline, as recorded.
        await page.Locator("svg.saga a.state[data-state=\"Completed\"]").ClickAsync();
        await page.WaitForURLAsync("**/orders?state=Completed");
        await page.Locator($"tr[data-order=\"{completed}\"] a").ClickAsync();
        await page.WaitForURLAsync($"**/orders/{completed}");
        Assert.Equal("Completed", await page.Locator("dd[data-status]").GetAttributeAsync("data-status"));
        var timeline = page.Locator("ol.timeline li");
        var recorded = await shop.OrdersDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"OrderTimeline\" WHERE \"OrderId\" = '{completed}'");
        Assert.True(recorded > 5, $"only {recorded} timeline lines recorded");
        Assert.Equal((int)recorded, await timeline.CountAsync());
        var lines = await timeline.EvaluateAllAsync<string[]>("items => items.map(x => x.dataset.kind + ' ' + x.dataset.name)");
        Assert.Equal("Received OrderSubmitted", lines[0]);
        Assert.Contains("Received ShipmentCreated", lines);
        Assert.Contains("Transitioned Completed", lines);
        // Its payment and shipment, from Payments' and Shipping's own records.
        Assert.Equal(1, await page.Locator("#payments tr[data-kind=\"Capture\"]").CountAsync());
        Assert.Equal(1, await page.Locator("#shipments tr[data-status]").CountAsync());
        // The provider's side, read with the console's restricted key: the one captured charge of the order's total.
        var providerCharge = page.Locator("#provider-charges tr[data-status]");
        Assert.Equal(1, await providerCharge.CountAsync());
        Assert.Equal("captured", await providerCharge.GetAttributeAsync("data-status"));
        await shop.ScreenshotAsync(page, "console-order.png");

        // Searching by the order id opens it; by the customer lists the customer's orders.
        await page.Locator("#search-q").FillAsync(declined.ToString());
        await page.Locator("form.search button").ClickAsync();
        await page.WaitForURLAsync($"**/orders/{declined}");
        Assert.Contains("PaymentDeclined", await page.Locator("dd[data-status]").InnerTextAsync());
        await page.Context.DisposeAsync();
    }

    [Fact]
    public async Task Should_refresh_the_overview_until_paused()
    {
        var page = await shop.SignedInPageAsync();
        var refreshed = page.WaitForResponseAsync(response => response.Url.Contains("handler=Live", StringComparison.Ordinal),
            new PageWaitForResponseOptions { Timeout = 15_000 });
        await page.GotoAsync(shop.ConsoleAddress.ToString());
        Assert.Equal(200, (await refreshed).Status);

        await page.Locator("#pause").ClickAsync();
        var requests = 0;
        page.Request += (_, request) => requests += request.Url.Contains("handler=Live", StringComparison.Ordinal) ? 1 : 0;
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(0, requests);
        await page.Context.DisposeAsync();
    }

    async Task<Dictionary<string, long>> CountsByStateAsync()
    {
        var counts = new Dictionary<string, long>();
        await using var connection = new Npgsql.NpgsqlConnection(shop.OrdersDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT \"CurrentState\", count(*) FROM \"OrderState\" GROUP BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }
}
