using System.Net;
using Shop.Contracts;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

public sealed class When_a_customer_asks_for_another_customers_order(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    readonly HttpClient _otherCustomer = orders.ClientFor(TestTokens.Customer("customer-2"));

    [Fact]
    public async Task Should_take_the_customer_id_from_the_token()
    {
        var orderId = await orders.SubmitOrderAsync(token: TestTokens.Customer("customer-from-token"));

        Assert.Equal("customer-from-token", await orders.Database.ScalarAsync<string>($"SELECT \"CustomerId\" FROM \"Orders\" WHERE \"Id\" = '{orderId}'"));
        var submitted = await orders.TestBus.WaitFor<OrderSubmitted>(x => x.OrderId == orderId, "OrderSubmitted reached the test bus");
        Assert.Equal("customer-from-token", submitted.CustomerId);
    }

    [Fact]
    public async Task Should_answer_404_to_get_history_and_cancel_as_for_an_unknown_order()
    {
        var orderId = await orders.SubmitOrderAsync();
        await orders.WaitForStateAsync(orderId, "Submitted");

        var get = await (await _otherCustomer.GetAsync($"/orders/{orderId}")).ReadProblemAsync(404);
        var history = await (await _otherCustomer.GetAsync($"/orders/{orderId}/history")).ReadProblemAsync(404);
        var cancel = await (await _otherCustomer.PostAsync($"/orders/{orderId}/cancel", null)).ReadProblemAsync(404);
        var unknown = await (await _otherCustomer.GetAsync($"/orders/{Guid.NewGuid()}")).ReadProblemAsync(404);

        Assert.All([get, history, cancel], x => Assert.Equal(unknown.Title, x.Title));
        // The cancel changed nothing: the order still waits for its stock.
        await Task.Delay(500);
        Assert.Equal("Submitted", await orders.SagaStateAsync(orderId));
    }

    [Fact]
    public async Task Should_let_the_owner_read_its_order_and_history()
    {
        var orderId = await orders.SubmitOrderAsync();
        await orders.WaitForStateAsync(orderId, "Submitted");

        Assert.Equal(HttpStatusCode.OK, (await orders.Http.GetAsync($"/orders/{orderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await orders.Http.GetAsync($"/orders/{orderId}/history")).StatusCode);
    }

    [Fact]
    public async Task Should_let_an_operator_read_and_cancel_any_order()
    {
        var orderId = await orders.SubmitOrderAsync(token: TestTokens.Customer("customer-3"));
        await orders.WaitForStateAsync(orderId, "Submitted");

        var order = await (await orders.Operator.GetAsync($"/orders/{orderId}")).ReadJsonAsync<OrderDetails>();
        var history = await (await orders.Operator.GetAsync($"/orders/{orderId}/history")).ReadJsonAsync<OrderHistory>();
        var cancel = await orders.Operator.PostAsync($"/orders/{orderId}/cancel", null);

        Assert.Equal(orderId, order.OrderId);
        Assert.NotEmpty(history.Entries);
        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        await orders.WaitForStateAsync(orderId, "Compensating");
    }

    [Fact]
    public async Task Should_give_orders_random_ids()
    {
        var first = await orders.SubmitOrderAsync();
        var second = await orders.SubmitOrderAsync();

        // Version 4 (random) GUIDs: not one of a time-ordered sequence a caller could step through.
        Assert.Equal(4, first.Version);
        Assert.Equal(4, second.Version);
    }
}
