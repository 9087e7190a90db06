using Microsoft.Playwright;

namespace Shop.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class When_a_command_lands_in_an_error_queue(ConsoleFixture shop)
{
    [Fact]
    public async Task Should_show_it_in_its_group_with_the_order_it_blocks()
    {
        // The carrier to NL is down: the order's CreateShipment goes to create-shipment_error, the order waits in Paid.
        const string country = "NL";
        var sku = ConsoleFixture.NewSku();
        await shop.SetStockAsync(sku, onHand: 2);
        shop.ShippingOutage.Begin(country);
        try
        {
            var orderId = await shop.SubmitOrderAsync(sku, country: country);
            await shop.WaitForStatusAsync(orderId, "Paid");
            await Shop.Testing.Eventually.True(
                async () => await shop.OrdersDatabase.ScalarAsync<long>(
                    $"SELECT count(*) FROM \"OrderTimeline\" WHERE \"OrderId\" = '{orderId}' AND \"Kind\" = 'Faulted'") == 1,
                "Orders records the Fault<CreateShipment>");

            var page = await shop.SignedInPageAsync();
            await page.GotoAsync(new Uri(shop.ConsoleAddress, "/attention").ToString());
            var group = page.Locator("details.fault-group[data-message-type=\"CreateShipment\"][data-exception-type=\"PermanentMessageFailureException\"]");
            Assert.Equal(1, await group.CountAsync());
            var blocked = group.Locator($"tr[data-order=\"{orderId}\"]");
            Assert.Equal("Paid", await blocked.GetAttributeAsync("data-state"));
            Assert.Contains("1 order, Paid", await group.Locator("summary").InnerTextAsync(), StringComparison.Ordinal);

            // The overview counts the message in its error queue (from the management API, without touching it; its
            // queue statistics are refreshed every few seconds).
            await Shop.Testing.Eventually.True(async () =>
            {
                await page.GotoAsync(shop.ConsoleAddress.ToString());
                var count = page.Locator("tr[data-queue=\"create-shipment_error\"] td[data-count]");
                return await count.CountAsync() == 1 && await count.GetAttributeAsync("data-count") != "0";
            }, "the overview counts the message in create-shipment_error");

            // The order's page names its dead letter.
            await page.GotoAsync(new Uri(shop.ConsoleAddress, $"/orders/{orderId}").ToString());
            Assert.Equal(1, await page.Locator("ul.dead-letters li[data-name=\"CreateShipment\"]").CountAsync());
            // Still waiting (Paid, or Compensating once the shipment deadline passed): the page says until when.
            var status = await page.Locator("dd[data-status]").GetAttributeAsync("data-status");
            Assert.Equal(status is "Paid" or "Compensating" ? 1 : 0, await page.Locator("dd[data-deadline]").CountAsync());
            await page.Context.DisposeAsync();
        }
        finally
        {
            shop.ShippingOutage.End(country);
        }
    }
}
