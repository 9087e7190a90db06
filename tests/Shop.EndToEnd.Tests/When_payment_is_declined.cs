using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Payments.Domain;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_payment_is_declined(ShopFixture shop)
{
    [Fact]
    public async Task Should_cancel_and_release_the_stock()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 5);

        var orderId = await shop.SubmitOrderAsync(sku, quantity: 2, paymentToken: ShopRequests.DeclinedToken);
        var order = await shop.WaitForFinalStatusAsync(orderId);

        Assert.Equal("Cancelled", order.Status);
        Assert.Equal(CancellationReason.PaymentDeclined, order.CancellationReason);
        Assert.Equal(("Cancelled", CancellationReason.PaymentDeclined), await shop.SagaRowAsync(orderId));

        await shop.WaitForStockAsync(sku, onHand: 5, reserved: 0);

        var payments = await shop.GetPaymentsAsync(orderId);
        Assert.Equal([PaymentRecordKind.ChargeRequested, PaymentRecordKind.Decline], payments.Select(x => x.Kind));
        Assert.Equal("declined", Assert.Single(await shop.Provider.ChargesOfAsync(orderId)).Status);
        Assert.Empty(await shop.GetShipmentsAsync(orderId));

        var notification = Assert.Single(await shop.WaitForNotificationsAsync(orderId));
        Assert.Equal(NotificationKind.Cancelled, notification.Kind);
    }
}
