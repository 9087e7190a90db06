using Shop.Notifications.Domain;
using Shop.Payments.Domain;
using Shop.Shipping.Domain;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_an_order_goes_through(ShopFixture shop)
{
    [Fact]
    public async Task Should_complete_and_commit_ship_charge_and_notify_once()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 10);

        var orderId = await shop.SubmitOrderAsync(sku, quantity: 3);
        var order = await shop.WaitForFinalStatusAsync(orderId);

        Assert.Equal("Completed", order.Status);
        Assert.Null(order.CancellationReason);
        Assert.NotNull(order.PaymentId);
        Assert.False(string.IsNullOrEmpty(order.TrackingNumber));
        Assert.Equal(("Completed", (string?)null), await shop.SagaRowAsync(orderId));

        await shop.WaitForStockAsync(sku, onHand: 7, reserved: 0);

        var payments = await shop.GetPaymentsAsync(orderId);
        Assert.Equal([PaymentRecordKind.ChargeRequested, PaymentRecordKind.Capture], payments.Select(x => x.Kind));
        var capture = payments.Single(x => x.Kind == PaymentRecordKind.Capture);
        Assert.Equal(order.Total, capture.Amount);
        // The customer sees the shop's own payment id, never the provider's charge id (with which anyone who reaches the
        // provider could act on the charge); the ledger keeps the provider's.
        Assert.Equal(order.PaymentId, payments.Single(x => x.Kind == PaymentRecordKind.ChargeRequested).ShopPaymentId);

        // The money is where the provider says it is: one charge of the order's total, not refunded.
        var charge = Assert.Single(await shop.Provider.ChargesOfAsync(orderId));
        Assert.Equal((capture.PaymentId, "captured", order.Total, 0m), ((Guid?)charge.ChargeId, charge.Status, charge.Amount, charge.AmountRefunded));
        Assert.NotEqual(charge.ChargeId, order.PaymentId);

        var shipment = Assert.Single(await shop.GetShipmentsAsync(orderId));
        Assert.Equal(ShipmentStatus.Created, shipment.Status);
        Assert.Equal(order.TrackingNumber, shipment.TrackingNumber);

        var notification = Assert.Single(await shop.WaitForNotificationsAsync(orderId));
        Assert.Equal(NotificationKind.Completed, notification.Kind);
        await Consistently.True(async () => (await shop.GetNotificationsAsync(orderId)).Count == 1, "no second notification follows");
    }
}
