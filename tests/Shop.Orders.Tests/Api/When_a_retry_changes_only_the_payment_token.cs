using System.Net;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>
/// The idempotent-submit hash covers the order, not its payment token: a stored hash of a token (often a short, guessable
/// value) would let anyone who reads the table test guesses against it, forever.
/// </summary>
public sealed class When_a_retry_changes_only_the_payment_token(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    [Fact]
    public async Task Should_answer_the_first_order_with_its_first_token()
    {
        var key = Guid.NewGuid().ToString();

        var first = await orders.PostOrderAsync(OrderBodies.With(x => x["paymentToken"] = "tok_first"), key);
        var retry = await orders.PostOrderAsync(OrderBodies.With(x => x["paymentToken"] = "tok_second"), key);

        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (first.StatusCode, retry.StatusCode));
        var orderId = (await first.ReadJsonAsync<OrderAccepted>()).OrderId;
        Assert.Equal(orderId, (await retry.ReadJsonAsync<OrderAccepted>()).OrderId);
        await orders.WaitForStateAsync(orderId, "Submitted");
        var stored = await orders.Database.ScalarAsync<string>(
            $"SELECT \"PaymentToken\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'");
        Assert.Equal("tok_first", TestPaymentTokenKeys.Open(stored!, orderId));
    }

    [Fact]
    public async Task Should_store_a_hash_that_does_not_depend_on_the_token()
    {
        var first = await orders.PostOrderAsync(OrderBodies.With(x => x["paymentToken"] = "tok_visa"), Guid.NewGuid().ToString());
        var second = await orders.PostOrderAsync(OrderBodies.With(x => x["paymentToken"] = $"tok_{Guid.NewGuid():N}"), Guid.NewGuid().ToString());

        var hashes = await Task.WhenAll(new[] { first, second }.Select(async response =>
        {
            var orderId = (await response.ReadJsonAsync<OrderAccepted>()).OrderId;
            return await orders.Database.ScalarAsync<string>($"SELECT \"RequestHash\" FROM \"Orders\" WHERE \"Id\" = '{orderId}'");
        }));
        Assert.Equal(hashes[0], hashes[1]);
    }

    [Fact]
    public async Task Should_keep_no_token_in_clear_on_the_order_row()
    {
        var token = $"tok_{Guid.NewGuid():N}";

        var response = await orders.PostOrderAsync(OrderBodies.With(x => x["paymentToken"] = token), Guid.NewGuid().ToString());

        var orderId = (await response.ReadJsonAsync<OrderAccepted>()).OrderId;
        Assert.Equal(0L, await orders.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"Orders\" WHERE \"PaymentToken\" LIKE '%{token}%' OR \"RequestHash\" LIKE '%{token}%'"));
        await orders.WaitForStateAsync(orderId, "Submitted");
        Assert.Equal(0L, await orders.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"OrderState\" WHERE \"PaymentToken\" LIKE '%{token}%'"));
        Assert.Equal(0L, await orders.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"OutboxMessage\" WHERE \"Body\" LIKE '%{token}%'"));
    }
}
