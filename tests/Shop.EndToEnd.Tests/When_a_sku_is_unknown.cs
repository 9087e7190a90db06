using Shop.Contracts;
using Shop.Notifications.Domain;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_a_sku_is_unknown(ShopFixture shop)
{
    [Fact]
    public async Task Should_cancel_as_out_of_stock_without_charging_or_shipping()
    {
        var orderId = await shop.SubmitOrderAsync(ShopRequests.NewSku());
        var order = await shop.WaitForFinalStatusAsync(orderId);

        Assert.Equal("Cancelled", order.Status);
        Assert.Equal(CancellationReason.OutOfStock, order.CancellationReason);
        Assert.Equal(("Cancelled", CancellationReason.OutOfStock), await shop.SagaRowAsync(orderId));

        var notification = Assert.Single(await shop.WaitForNotificationsAsync(orderId));
        Assert.Equal(NotificationKind.Cancelled, notification.Kind);
        Assert.Empty(await shop.GetPaymentsAsync(orderId));
        Assert.Empty(await shop.GetShipmentsAsync(orderId));
    }
}
