using Shop.Payments.Domain;

namespace Shop.EndToEnd.Tests;

/// <summary>The price is the catalog's: a change in Inventory reaches Orders by event, and the next order is charged at it.</summary>
[Collection(ShopCollection.Name)]
public sealed class When_a_price_changes(ShopFixture shop)
{
    [Fact]
    public async Task Should_charge_new_orders_the_new_price_and_keep_earlier_orders_at_theirs()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetPriceAsync(sku, 10.00m);
        await shop.SetStockAsync(sku, 10);

        var before = await shop.SubmitOrderAsync(sku, quantity: 2);
        Assert.Equal("Completed", (await shop.WaitForFinalStatusAsync(before)).Status);

        await shop.SetPriceAsync(sku, 20.00m);
        var after = await shop.SubmitOrderAsync(sku, quantity: 2);
        var order = await shop.WaitForFinalStatusAsync(after);

        Assert.Equal("Completed", order.Status);
        Assert.Equal(40.00m, order.Total);
        Assert.Equal(20.00m, Assert.Single(order.Items).UnitPrice);
        Assert.Equal(40.00m, (await shop.GetPaymentsAsync(after)).Where(x => x.Kind == PaymentRecordKind.Capture).Sum(x => x.Amount));
        Assert.Equal(20.00m, (await shop.GetPaymentsAsync(before)).Where(x => x.Kind == PaymentRecordKind.Capture).Sum(x => x.Amount));
    }

    [Fact]
    public async Task Should_take_a_lower_case_sku_as_the_same_product()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku.ToLowerInvariant(), 3);

        var orderId = await shop.SubmitOrderAsync(sku.ToLowerInvariant());

        Assert.Equal("Completed", (await shop.WaitForFinalStatusAsync(orderId)).Status);
        await shop.WaitForStockAsync(sku, onHand: 2, reserved: 0);
    }
}
