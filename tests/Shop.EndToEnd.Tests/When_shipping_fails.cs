using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Orders.Apis;
using Shop.Payments.Domain;
using Shop.Shipping.Domain;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_shipping_fails(ShopFixture shop)
{
    [Fact]
    public async Task Should_cancel_refund_the_payment_and_release_the_stock()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 4);

        var orderId = await shop.SubmitOrderAsync(sku, quantity: 2, country: "AQ");
        var order = await shop.WaitForFinalStatusAsync(orderId);

        Assert.Equal("Cancelled", order.Status);
        Assert.Equal(CancellationReason.ShippingFailed, order.CancellationReason);
        Assert.Equal(("Cancelled", CancellationReason.ShippingFailed), await shop.SagaRowAsync(orderId));

        await shop.WaitForStockAsync(sku, onHand: 4, reserved: 0);

        var payments = await shop.WaitForPaymentsAsync(orderId, p => p.Any(x => x.Kind == PaymentRecordKind.Refund), "the capture refunded");
        Assert.Single(payments, x => x.Kind == PaymentRecordKind.Capture);
        Assert.Equal(0m, payments.NetCaptured());
        var charge = Assert.Single(await shop.Provider.ChargesOfAsync(orderId));
        Assert.Equal(charge.Amount, charge.AmountRefunded);

        var shipment = Assert.Single(await shop.GetShipmentsAsync(orderId));
        Assert.Equal(ShipmentStatus.Failed, shipment.Status);
        Assert.Null(shipment.TrackingNumber);

        var notification = Assert.Single(await shop.WaitForNotificationsAsync(orderId));
        Assert.Equal(NotificationKind.Cancelled, notification.Kind);
    }

    [Fact]
    public async Task Should_list_every_step_and_its_compensation_in_the_order_timeline()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 1);

        var orderId = await shop.SubmitOrderAsync(sku, country: "AQ");
        await shop.WaitForFinalStatusAsync(orderId);

        // After the decision to cancel, in any order: the compensations' confirmations; the last one cancels the order.
        // Every deadline was cleared on the order's row when its answer came: no timeout ever arrives.
        OrderHistory? history = null;
        await Eventually.True(async () => (history = await shop.GetHistoryAsync(orderId)).Entries.Count >= 17,
            $"the full timeline of order {orderId}", onTimeout: () => string.Join("; ", history?.Entries.Select(x => $"{x.Kind} {x.Name}") ?? []));
        await Consistently.True(async () => (history = await shop.GetHistoryAsync(orderId)).Entries.Count == 17,
            "nothing more arrives, the withdrawn timeouts included", ShopFixture.CompensationDeadline + TimeSpan.FromSeconds(1));

        string[] expected =
        [
            "Received OrderSubmitted", "Sent ReserveStock", "Transitioned Submitted",
            "Received StockReserved", "Sent ChargePayment", "Transitioned Reserved",
            "Received PaymentCaptured", "Sent CreateShipment", "Transitioned Paid",
            "Received ShipmentFailed", "Sent RefundPayment", "Sent ReleaseStock", "Transitioned Compensating",
        ];
        var lines = history!.Entries.Select(x => $"{x.Kind} {x.Name}").ToList();
        Assert.Equal(expected, lines.Take(expected.Length));
        Assert.Equal(["Received PaymentRefunded", "Received StockReleased"], new[] { lines[13], lines[14] }.Order());
        Assert.Equal(["Sent OrderCancelled", "Transitioned Cancelled"], lines.Skip(15));

        Assert.Equal(Enumerable.Range(1, history.Entries.Count), history.Entries.Select(x => x.Sequence));
        // Each waiting state's line names its deadline; the end has none.
        Assert.StartsWith("from Paid, ShippingFailed, deadline ", history.Entries.Single(x => x.Name == "Compensating").Detail);
        Assert.StartsWith("deadline ", history.Entries.Single(x => x.Name == "Submitted").Detail);
        Assert.Equal("from Compensating, ShippingFailed", history.Entries.Single(x => x.Name == "Cancelled").Detail);
        Assert.True(history.Entries.Zip(history.Entries.Skip(1)).All(pair => pair.First.At <= pair.Second.At), "timestamps in order");
    }
}
