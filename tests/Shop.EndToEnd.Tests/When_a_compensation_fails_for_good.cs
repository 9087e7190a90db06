using Shop.Admin.Cli;
using Shop.Admin.Tests;
using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// A compensation in _error (Shipping cannot cancel the order's shipment) keeps the order in Compensating, without a
/// cancellation announced, until an operator re-drives it; then the order ends Cancelled.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class When_a_compensation_fails_for_good(ShopFixture shop)
{
    const string Country = "IE";

    [Fact]
    public async Task Should_stay_compensating_until_it_is_redriven()
    {
        var admin = new AdminTool(shop.VirtualHost);
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 3);
        shop.ShippingOutage.Begin(Country);
        Guid? orderId = null;
        try
        {
            // Paid, its CreateShipment in _error: the customer cancels, and the shipment's cancellation fails too.
            orderId = await shop.SubmitOrderAsync(sku, country: Country);
            shop.ShippingOutage.FailCancellations(orderId.Value);
            await Eventually.True(async () => (await admin.ListAsync("--order", orderId.ToString()!)).Any(x => x.MessageType == "CreateShipment"),
                "the CreateShipment in _error");
            Assert.Equal("Paid", (await shop.GetOrderAsync(orderId.Value)).Status);
            await shop.Orders.PostAsync($"/orders/{orderId}/cancel", null);

            await Eventually.True(async () => (await admin.ListAsync("--order", orderId.ToString()!)).Any(x => x.MessageType == "CancelShipment"),
                "the CancelShipment in _error");
            await Eventually.True(async () => (await shop.GetHistoryAsync(orderId.Value)).Entries.Any(x => x is { Kind: "Faulted", Name: "CancelShipment" }),
                "the faulted compensation in the order's timeline");
            await shop.WaitForStockAsync(sku, onHand: 3, reserved: 0);

            // Refunded and released, but the shipment is not cancelled: not Cancelled, not announced, past its deadline too.
            await Consistently.True(async () => (await shop.GetOrderAsync(orderId.Value)).Status == "Compensating",
                "the order stays Compensating", ShopFixture.CompensationDeadline + TimeSpan.FromSeconds(1));
            Assert.Empty(await shop.GetNotificationsAsync(orderId.Value));

            shop.ShippingOutage.EndCancellationFailures(orderId.Value);
            shop.ShippingOutage.End(Country);
            var run = await admin.RunAsync("errors", "redrive", "--order", orderId.ToString()!);
            Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());

            var order = await shop.WaitForFinalStatusAsync(orderId.Value);
            Assert.Equal(("Cancelled", CancellationReason.CustomerCancelled), (order.Status, order.CancellationReason));
            Assert.Equal(NotificationKind.Cancelled, Assert.Single(await shop.WaitForNotificationsAsync(orderId.Value)).Kind);
            await shop.WaitForStockAsync(sku, onHand: 3, reserved: 0);
            Assert.Empty(await admin.ListAsync("--order", orderId.ToString()!));
        }
        finally
        {
            shop.ShippingOutage.End(Country);
            if (orderId is { } id)
                shop.ShippingOutage.EndCancellationFailures(id);
        }
    }
}
