using System.Net;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>Orders with low per-customer limits: three submits and two cancels a minute.</summary>
public sealed class RateLimitedOrdersFixture : OrdersServiceFixture
{
    protected override Dictionary<string, string?> Settings => new()
    {
        ["Orders:RateLimits:Submit:PermitLimit"] = "3",
        ["Orders:RateLimits:Submit:Window"] = "00:01:00",
        ["Orders:RateLimits:Cancel:PermitLimit"] = "2",
        ["Orders:RateLimits:Cancel:Window"] = "00:01:00",
    };
}

public sealed class When_a_customer_submits_too_often(RateLimitedOrdersFixture orders) : IClassFixture<RateLimitedOrdersFixture>
{
    [Fact]
    public async Task Should_answer_429_with_retry_after_to_that_customer_only()
    {
        var token = TestTokens.Customer("busy-customer");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Accepted, (await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), token: token)).StatusCode);
        var before = await orders.CountAsync("Orders");

        var refused = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), token: token);
        var other = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), token: TestTokens.Customer("calm-customer"));

        await refused.ReadProblemAsync(429);
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Equal(before + 1, await orders.CountAsync("Orders"));
    }

    [Fact]
    public async Task Should_limit_cancels_per_customer()
    {
        var token = TestTokens.Customer("cancelling-customer");
        var orderId = await orders.SubmitOrderAsync(token: token);
        var client = orders.ClientFor(token);

        var first = await client.PostAsync($"/orders/{orderId}/cancel", null);
        var second = await client.PostAsync($"/orders/{orderId}/cancel", null);
        var third = await client.PostAsync($"/orders/{orderId}/cancel", null);

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, second.StatusCode);
        await third.ReadProblemAsync(429);
        Assert.NotNull(third.Headers.RetryAfter?.Delta);
    }
}
