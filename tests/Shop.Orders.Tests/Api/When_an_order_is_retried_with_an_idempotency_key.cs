using System.Net;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

public sealed class When_an_order_is_retried_with_an_idempotency_key(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    [Fact]
    public async Task Should_answer_the_same_order_for_the_same_body()
    {
        var key = Guid.NewGuid().ToString();
        var body = OrderBodies.Valid().ToJsonString();

        var first = await orders.PostOrderAsync(body, key);
        var second = await orders.PostOrderAsync(body, key);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var orderId = (await first.ReadJsonAsync<OrderAccepted>()).OrderId;
        Assert.Equal(orderId, (await second.ReadJsonAsync<OrderAccepted>()).OrderId);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(1, await CountWithKey(key));
    }

    [Fact]
    public async Task Should_answer_409_for_a_different_body()
    {
        var key = Guid.NewGuid().ToString();
        await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), key);

        var response = await orders.PostOrderAsync(OrderBodies.With(x => x.Item(0)["quantity"] = 3), key);

        await response.ReadProblemAsync(409);
        Assert.Equal(1, await CountWithKey(key));
    }

    [Fact]
    public async Task Should_create_one_order_for_concurrent_retries()
    {
        var key = Guid.NewGuid().ToString();
        var body = OrderBodies.Valid().ToJsonString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => orders.PostOrderAsync(body, key)));

        Assert.All(responses, x => Assert.Equal(HttpStatusCode.Accepted, x.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async x => (await x.ReadJsonAsync<OrderAccepted>()).OrderId));
        Assert.Single(ids.Distinct());
        Assert.Equal(1, await CountWithKey(key));
    }

    [Fact]
    public async Task Should_make_two_orders_when_two_customers_use_one_key()
    {
        var key = Guid.NewGuid().ToString();

        var first = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), key);
        // Another customer, the same key, even another body: their own order, not a 409 that names the first one.
        var second = await orders.PostOrderAsync(OrderBodies.With(x => x.Item(0)["quantity"] = 3), key, token: TestTokens.Customer("customer-2"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var firstId = (await first.ReadJsonAsync<OrderAccepted>()).OrderId;
        var secondId = (await second.ReadJsonAsync<OrderAccepted>()).OrderId;
        Assert.NotEqual(firstId, secondId);
        Assert.Equal(2, await CountWithKey(key));

        // Each customer's retry still answers their own order.
        var retry = await orders.PostOrderAsync(OrderBodies.With(x => x.Item(0)["quantity"] = 3), key, token: TestTokens.Customer("customer-2"));
        Assert.Equal(secondId, (await retry.ReadJsonAsync<OrderAccepted>()).OrderId);
    }

    [Fact]
    public async Task Should_keep_customers_apart_whose_ids_differ_in_case()
    {
        var key = Guid.NewGuid().ToString();

        var lower = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), key, token: TestTokens.Customer("ada"));
        var upper = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), key, token: TestTokens.Customer("ADA"));

        Assert.NotEqual((await lower.ReadJsonAsync<OrderAccepted>()).OrderId, (await upper.ReadJsonAsync<OrderAccepted>()).OrderId);
    }

    Task<long> CountWithKey(string key) =>
        orders.Database.ScalarAsync<long>($"SELECT count(*) FROM \"Orders\" WHERE \"IdempotencyKey\" = '{key}'");
}
