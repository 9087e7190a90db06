using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Payments.Domain;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_payment_times_out(ShopFixture shop)
{
    [Fact]
    public async Task Should_cancel_refund_the_lost_capture_at_the_provider_and_release_the_stock()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 5);

        var orderId = await shop.SubmitOrderAsync(sku, quantity: 1, paymentToken: ShopRequests.LostAnswerToken);
        var order = await shop.WaitForFinalStatusAsync(orderId);

        Assert.Equal("Cancelled", order.Status);
        Assert.Equal(CancellationReason.PaymentTimeout, order.CancellationReason);
        Assert.True(order.UpdatedAt - order.CreatedAt >= ShopFixture.PaymentTimeout, "Cancelled before the payment timeout.");
        Assert.Equal(("Cancelled", CancellationReason.PaymentTimeout), await shop.SagaRowAsync(orderId));

        await shop.WaitForStockAsync(sku, onHand: 5, reserved: 0);

        // The provider captured and its answer was lost: Payments found the capture by key and refunded it.
        var payments = await shop.WaitForPaymentsAsync(orderId, p => p.Any(x => x.Kind == PaymentRecordKind.Refund), "the capture refunded");
        Assert.Single(payments, x => x.Kind == PaymentRecordKind.Capture);
        Assert.Equal(0m, payments.NetCaptured());
        Assert.Equal(0m, await shop.Provider.NetAsync(orderId));
        Assert.Empty(await shop.GetShipmentsAsync(orderId));

        var notification = Assert.Single(await shop.WaitForNotificationsAsync(orderId));
        Assert.Equal(NotificationKind.Cancelled, notification.Kind);
    }
}
