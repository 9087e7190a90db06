using System.Net;
using Shop.Contracts;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

public sealed class When_an_order_is_accepted(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    [Fact]
    public async Task Should_answer_202_with_the_location_of_the_order()
    {
        var response = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString());

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.ReadJsonAsync<OrderAccepted>();
        Assert.Equal("Submitted", accepted.Status);
        Assert.Equal($"/orders/{accepted.OrderId}", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Should_store_the_order_with_its_lines_and_total()
    {
        var orderId = await orders.SubmitOrderAsync();

        Assert.Equal(25.50m, await orders.Database.ScalarAsync<decimal>($"SELECT \"Total\" FROM \"Orders\" WHERE \"Id\" = '{orderId}'"));
        Assert.Equal(2, await orders.Database.ScalarAsync<long>($"SELECT count(*) FROM \"OrderLines\" WHERE \"OrderId\" = '{orderId}'"));
    }

    [Fact]
    public async Task Should_publish_order_submitted_to_rabbitmq()
    {
        var orderId = await orders.SubmitOrderAsync();

        var submitted = await orders.TestBus.WaitFor<OrderSubmitted>(x => x.OrderId == orderId, "OrderSubmitted reached the test bus");
        Assert.Equal(25.50m, submitted.Total);
        Assert.Equal("DE", submitted.ShippingAddress.Country);
        Assert.Equal(2, submitted.Items.Count);
    }

    [Fact]
    public async Task Should_start_the_saga_which_asks_inventory_to_reserve()
    {
        var orderId = await orders.SubmitOrderAsync();

        await orders.WaitForStateAsync(orderId, "Submitted");
        var reserve = await orders.TestBus.WaitFor<ReserveStock>(x => x.OrderId == orderId, "ReserveStock sent to Inventory's exchange");
        Assert.Equal(2, reserve.Lines.Count);
    }

    [Fact]
    public async Task Should_show_the_order()
    {
        var orderId = await orders.SubmitOrderAsync();

        var order = await (await orders.Http.GetAsync($"/orders/{orderId}")).ReadJsonAsync<OrderDetails>();
        Assert.Equal(orderId, order.OrderId);
        Assert.Equal("Submitted", order.Status);
        Assert.Equal(25.50m, order.Total);
        Assert.Equal([new OrderItemDetails("SKU-1", 2, 5.00m), new OrderItemDetails("SKU-2", 1, 15.50m)], order.Items);
        Assert.Null(order.CancellationReason);
        Assert.Null(order.TrackingNumber);
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_order() =>
        await (await orders.Http.GetAsync($"/orders/{Guid.NewGuid()}")).ReadProblemAsync(404);

    [Theory]
    [InlineData("GET", "/orders/not-a-guid")]
    [InlineData("GET", "/orders/not-a-guid/history")]
    [InlineData("POST", "/orders/not-a-guid/cancel")]
    public async Task Should_answer_400_naming_the_id_for_a_malformed_order_id(string method, string path)
    {
        var errors = await (await orders.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path))).ReadValidationErrorsAsync();

        // The same answer as every other service gives for a malformed id (?orderId= there).
        Assert.Equal(["'id' must be a GUID."], errors["id"]);
    }
}
