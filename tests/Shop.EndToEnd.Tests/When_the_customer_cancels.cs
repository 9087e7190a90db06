using System.Net;
using System.Net.Http.Json;
using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Orders.Apis;
using Shop.Payments.Domain;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_the_customer_cancels(ShopFixture shop)
{
    [Fact]
    public async Task Should_cancel_and_undo_everything_done_so_far()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 6);

        // The charge never answers, so the order waits in Reserved until the cancel (or the payment timeout).
        var orderId = await shop.SubmitOrderAsync(sku, quantity: 2, paymentToken: ShopRequests.LostAnswerToken);
        await shop.WaitForStatusAsync(orderId, "Reserved");

        var response = await shop.CustomerOrders.PostAsync($"/orders/{orderId}/cancel", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("Reserved", (await response.Content.ReadFromJsonAsync<CancelAccepted>())!.Status);

        var order = await shop.WaitForFinalStatusAsync(orderId);
        Assert.Equal("Cancelled", order.Status);
        Assert.Equal(CancellationReason.CustomerCancelled, order.CancellationReason);
        Assert.Equal(("Cancelled", CancellationReason.CustomerCancelled), await shop.SagaRowAsync(orderId));

        await shop.WaitForStockAsync(sku, onHand: 6, reserved: 0);

        // Whether the capture came before the cancel or was found after it, the provider keeps nothing.
        var payments = await shop.WaitForPaymentsAsync(orderId, p => p.Any(x => x.Kind is PaymentRecordKind.Refund or PaymentRecordKind.Void),
            "the charge refunded or voided");
        Assert.Equal(0m, payments.NetCaptured());
        Assert.Equal(0m, await shop.Provider.NetAsync(orderId));
        Assert.Empty(await shop.GetShipmentsAsync(orderId));

        var notification = Assert.Single(await shop.WaitForNotificationsAsync(orderId));
        Assert.Equal(NotificationKind.Cancelled, notification.Kind);
    }
}
