using System.Net;
using Shop.Orders.Apis;

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

    Task<long> CountWithKey(string key) =>
        orders.Database.ScalarAsync<long>($"SELECT count(*) FROM \"Orders\" WHERE \"IdempotencyKey\" = '{key}'");
}
