using Shop.Admin.Cli;
using Shop.Admin.Tests;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_a_failed_message_is_redriven(ShopFixture shop)
{
    const string Country = "IS";

    [Fact]
    public async Task Should_complete_the_order_once_the_fault_is_removed()
    {
        var admin = new AdminTool(shop.VirtualHost);
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 5);
        shop.ShippingOutage.Begin(Country);
        try
        {
            var orderId = await shop.SubmitOrderAsync(sku, quantity: 2, country: Country);

            var failed = await Eventually.Value(async () => (await admin.ListAsync("--order", orderId.ToString())).SingleOrDefault(),
                $"order {orderId}'s message in _error");
            Assert.Equal("create-shipment", failed.Queue);
            Assert.Equal("CreateShipment", failed.MessageType);
            Assert.Equal($"{ShippingOutage.Reason} in {Country}", failed.Reason);
            Assert.Equal("Paid", (await shop.GetOrderAsync(orderId)).Status);

            // Orders heard of the failed step (Fault<CreateShipment>) and wrote it into the order's timeline.
            var fault = await Eventually.Value(async () =>
                (await shop.GetHistoryAsync(orderId)).Entries.SingleOrDefault(x => x.Kind == "Faulted"), $"the fault in order {orderId}'s timeline");
            Assert.Equal("CreateShipment", fault.Name);
            Assert.Contains($"{ShippingOutage.Reason} in {Country}", fault.Detail);

            shop.ShippingOutage.End(Country);
            var run = await admin.RunAsync("errors", "redrive", "--order", orderId.ToString());

            Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
            var order = await shop.WaitForFinalStatusAsync(orderId);
            Assert.Equal("Completed", order.Status);
            Assert.Single(await shop.GetShipmentsAsync(orderId));
            await shop.WaitForStockAsync(sku, onHand: 3, reserved: 0);
            Assert.Empty(await admin.ListAsync("--order", orderId.ToString()));
        }
        finally
        {
            shop.ShippingOutage.End(Country);
        }
    }
}
