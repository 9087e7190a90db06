using Shop.Contracts;
using Shop.Testing;

namespace Shop.Orders.Tests.Saga;

/// <summary>An OrderSubmitted v1 (with the token in it) written before the upgrade still starts its saga.</summary>
public sealed class When_a_version_1_submission_drains : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.PublishAsync(new OrderSubmittedV1(_order.OrderId, "customer-1", "ada@example.com",
            [new OrderLine("SKU-1", 2, 5.00m), new OrderLine("SKU-2", 1, 15.00m)], 25.00m, "tok_v1", OrderSagaHarness.Address,
            DateTimeOffset.UtcNow));
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_charge_with_the_token_it_carried()
    {
        await _order.InStateAsync(_order.Machine.Submitted);
        await _order.StockReservedAsync();

        var charge = await _order.SentAsync<ChargePayment>();
        // The clear token of version 1 is sealed by the saga (the upcast), so ChargePayment carries ciphertext only.
        Assert.DoesNotContain("tok_v1", charge.PaymentToken, StringComparison.Ordinal);
        Assert.Equal("tok_v1", TestPaymentTokenKeys.Open(charge.PaymentToken, _order.OrderId));
        Assert.Equal(25.00m, charge.Amount);
    }
}
