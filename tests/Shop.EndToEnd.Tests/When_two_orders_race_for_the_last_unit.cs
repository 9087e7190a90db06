using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Payments.Domain;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_two_orders_race_for_the_last_unit(ShopFixture shop)
{
    [Fact]
    public async Task Should_complete_one_and_cancel_the_other_as_out_of_stock()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 1);

        var orderIds = await Task.WhenAll(shop.SubmitOrderAsync(sku), shop.SubmitOrderAsync(sku));
        var orders = await Task.WhenAll(orderIds.Select(shop.WaitForFinalStatusAsync));

        var winner = Assert.Single(orders, x => x.Status == "Completed");
        var loser = Assert.Single(orders, x => x.Status == "Cancelled");
        Assert.Equal(CancellationReason.OutOfStock, loser.CancellationReason);
        Assert.Equal(("Completed", (string?)null), await shop.SagaRowAsync(winner.OrderId));
        Assert.Equal(("Cancelled", CancellationReason.OutOfStock), await shop.SagaRowAsync(loser.OrderId));

        await shop.WaitForStockAsync(sku, onHand: 0, reserved: 0);

        Assert.Single(await shop.GetPaymentsAsync(winner.OrderId), x => x.Kind == PaymentRecordKind.Capture);
        Assert.Empty(await shop.GetPaymentsAsync(loser.OrderId));
        Assert.Single(await shop.GetShipmentsAsync(winner.OrderId));
        Assert.Empty(await shop.GetShipmentsAsync(loser.OrderId));
        Assert.Equal(NotificationKind.Completed, Assert.Single(await shop.WaitForNotificationsAsync(winner.OrderId)).Kind);
        Assert.Equal(NotificationKind.Cancelled, Assert.Single(await shop.WaitForNotificationsAsync(loser.OrderId)).Kind);
    }
}
