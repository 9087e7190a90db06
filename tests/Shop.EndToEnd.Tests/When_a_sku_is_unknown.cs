using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Shop.Contracts;
using Shop.Notifications.Domain;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_a_sku_is_unknown(ShopFixture shop)
{
    [Fact]
    public async Task Should_refuse_the_order_naming_the_line_when_the_catalog_has_no_price()
    {
        var response = await shop.PostOrderAsync(ShopRequests.NewSku());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Equal(["items[0].sku"], problem!.Errors.Keys);
    }

    [Fact]
    public async Task Should_cancel_as_out_of_stock_without_charging_or_shipping_when_priced_but_never_stocked()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetPriceAsync(sku, 3.00m);

        var orderId = await shop.SubmitOrderAsync(sku);
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
