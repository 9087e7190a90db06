using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Payments.Domain;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_payment_times_out(ShopFixture shop)
{
    [Fact]
    public async Task Should_cancel_void_the_charge_and_release_the_stock()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 5);

        var orderId = await shop.SubmitOrderAsync(sku, quantity: 1, paymentToken: TestTokens.Timeout);
        var order = await shop.WaitForFinalStatusAsync(orderId);

        Assert.Equal("Cancelled", order.Status);
        Assert.Equal(CancellationReason.PaymentTimeout, order.CancellationReason);
        Assert.True(order.UpdatedAt - order.CreatedAt >= ShopFixture.PaymentTimeout, "Cancelled before the payment timeout.");
        Assert.Equal(("Cancelled", CancellationReason.PaymentTimeout), await shop.SagaRowAsync(orderId));

        await shop.WaitForStockAsync(sku, onHand: 5, reserved: 0);

        var payments = await shop.WaitForPaymentsAsync(orderId, p => p.Any(x => x.Kind == PaymentRecordKind.Void), "the charge voided");
        Assert.DoesNotContain(payments, x => x.Kind is PaymentRecordKind.Capture or PaymentRecordKind.Refund);
        Assert.Empty(await shop.GetShipmentsAsync(orderId));

        var notification = Assert.Single(await shop.WaitForNotificationsAsync(orderId));
        Assert.Equal(NotificationKind.Cancelled, notification.Kind);
    }
}
