using System.Net;
using Shop.Contracts;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>Every line at the catalog price Orders learnt from Inventory's ProductUpdated events; the client sends none.</summary>
public sealed class When_an_order_is_priced(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    [Fact]
    public async Task Should_charge_the_catalog_price()
    {
        var orderId = await orders.SubmitOrderAsync();

        var order = await (await orders.Http.GetAsync($"/orders/{orderId}")).ReadJsonAsync<OrderDetails>();
        Assert.Equal(2 * 5.00m + 15.50m, order.Total);
        var submitted = await orders.TestBus.WaitFor<OrderSubmitted>(x => x.OrderId == orderId, "OrderSubmitted");
        Assert.Equal([new OrderLine("SKU-1", 2, 5.00m), new OrderLine("SKU-2", 1, 15.50m)], submitted.Items);
    }

    [Fact]
    public async Task Should_refuse_a_unit_price_from_the_client_naming_it()
    {
        var response = await orders.PostOrderAsync(OrderBodies.With(x => x.Item(0)["unitPrice"] = 0.01m));

        var errors = await response.ReadValidationErrorsAsync();
        Assert.Contains("catalog", Assert.Single(errors["items[0].unitPrice"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_price_new_orders_at_a_changed_price_and_ignore_an_older_one()
    {
        await orders.PublishPriceAsync("SKU-CHANGE", 3.00m, version: 1);
        var before = await orders.SubmitOrderAsync(OrderBodies.With(x => x.Item(1)["sku"] = "SKU-CHANGE"));

        await orders.PublishPriceAsync("SKU-CHANGE", 4.00m, version: 2);
        // Version 1 again (a republished catalog, or out of order): the price list keeps version 2.
        var stale = Guid.NewGuid();
        await orders.TestBus.Publish(new ProductUpdated("SKU-CHANGE", "old", 1.00m, 1, DateTimeOffset.UtcNow), stale);
        await Eventually.True(async () => await orders.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"InboxState\" WHERE \"MessageId\" = '{stale}'") == 1, "the stale version was consumed");
        var after = await orders.SubmitOrderAsync(OrderBodies.With(x => x.Item(1)["sku"] = "SKU-CHANGE"));

        Assert.Equal(4.00m, await orders.PriceAsync("SKU-CHANGE"));
        Assert.Equal(10.00m + 3.00m, await TotalAsync(before));
        Assert.Equal(10.00m + 4.00m, await TotalAsync(after));
    }

    [Fact]
    public async Task Should_answer_400_naming_the_line_of_an_unknown_sku()
    {
        var response = await orders.PostOrderAsync(OrderBodies.With(x => x.Item(1)["sku"] = "SKU-NEVER-PRICED"));

        var errors = await response.ReadValidationErrorsAsync();
        Assert.Equal(["items[1].sku"], errors.Keys);
    }

    [Fact]
    public async Task Should_take_a_sku_in_any_case_as_the_one_product()
    {
        var orderId = await orders.SubmitOrderAsync(OrderBodies.With(x =>
        {
            x.Item(0)["sku"] = "sku-1";
            x.Item(1)["sku"] = " Sku-2 ";
        }));

        var order = await (await orders.Http.GetAsync($"/orders/{orderId}")).ReadJsonAsync<OrderDetails>();
        Assert.Equal(["SKU-1", "SKU-2"], order.Items.Select(x => x.Sku));
        Assert.Equal(25.50m, order.Total);
    }

    [Fact]
    public async Task Should_publish_no_payment_token()
    {
        var orderId = await orders.SubmitOrderAsync();

        await orders.TestBus.WaitFor<OrderSubmitted>(x => x.OrderId == orderId, "OrderSubmitted");
        Assert.All(orders.TestBus.ReceivedBodies<OrderSubmitted>(), body =>
        {
            Assert.DoesNotContain("tok_ok", body, StringComparison.Ordinal);
            Assert.DoesNotContain("paymentToken", body, StringComparison.OrdinalIgnoreCase);
        });
        // The saga took it from the order row: it is kept in one place, the saga row, until the charge is decided.
        await orders.WaitForStateAsync(orderId, "Submitted");
        await Eventually.True(async () => await orders.Database.ScalarAsync<string>(
                $"SELECT \"PaymentToken\" FROM \"Orders\" WHERE \"Id\" = '{orderId}'") is null, "the order row forgot the token");
        // Sealed for Payments the moment the API received it: ciphertext at rest, opening only for this order.
        var stored = await orders.Database.ScalarAsync<string>(
            $"SELECT \"PaymentToken\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'");
        Assert.DoesNotContain("tok_ok", stored, StringComparison.Ordinal);
        Assert.Equal("tok_ok", TestPaymentTokenKeys.Open(stored!, orderId));
    }

    Task<decimal> TotalAsync(Guid orderId) =>
        orders.Database.ScalarAsync<decimal>($"SELECT \"Total\" FROM \"Orders\" WHERE \"Id\" = '{orderId}'");

    [Fact]
    public async Task Should_not_accept_an_order_before_its_price_is_known()
    {
        var response = await orders.PostOrderAsync(OrderBodies.With(x => x.Item(0)["sku"] = "SKU-LATER"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        await orders.PublishPriceAsync("SKU-LATER", 2.00m, version: 1);
        Assert.Equal(HttpStatusCode.Accepted, (await orders.PostOrderAsync(OrderBodies.With(x => x.Item(0)["sku"] = "SKU-LATER"))).StatusCode);
    }
}
