using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Payments.Domain;
using Shop.Shipping.Domain;

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

        var shipment = Assert.Single(await shop.GetShipmentsAsync(orderId));
        Assert.Equal(ShipmentStatus.Failed, shipment.Status);
        Assert.Null(shipment.TrackingNumber);

        var notification = Assert.Single(await shop.WaitForNotificationsAsync(orderId));
        Assert.Equal(NotificationKind.Cancelled, notification.Kind);
    }
}
