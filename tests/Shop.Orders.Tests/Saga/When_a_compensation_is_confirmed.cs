using Shop.Contracts;

namespace Shop.Orders.Tests.Saga;

/// <summary>The services' confirmations of a compensation only go into the order's timeline: the saga stays where it is.</summary>
public sealed class When_a_compensation_is_confirmed : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.ReserveAsync();
        await _order.CancelAsync();
        await _order.InStateAsync(_order.Machine.Cancelled);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_consume_the_confirmations_and_stay_cancelled()
    {
        await _order.PublishAsync(new StockReleased(_order.OrderId, DateTimeOffset.UtcNow));
        await _order.PublishAsync(new PaymentRefunded(_order.OrderId, null, 0m, DateTimeOffset.UtcNow));
        await _order.ConsumedAsync<StockReleased>(1);
        await _order.ConsumedAsync<PaymentRefunded>(1);

        var state = await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(CancellationReason.CustomerCancelled, state.CancellationReason);
        Assert.False(await _order.Harness.Published.Any<MassTransit.Fault<StockReleased>>());
        Assert.False(await _order.Harness.Published.Any<MassTransit.Fault<PaymentRefunded>>());
    }
}
