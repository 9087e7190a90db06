using Shop.Contracts;

namespace Shop.Orders.Tests.Saga;

/// <summary>A confirmation the saga was not waiting for (a late compensation's, once Cancelled) is only taken note of.</summary>
public sealed class When_a_compensation_is_confirmed_after_the_order_is_cancelled : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.ReserveAsync();
        await _order.CancelAsync();
        await _order.InStateAsync(_order.Machine.Compensating);
        await _order.ConfirmAsync(shipment: false);
        await _order.InStateAsync(_order.Machine.Cancelled);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_consume_the_confirmations_and_stay_cancelled()
    {
        await _order.ConfirmAsync();
        await _order.ConsumedAsync<StockReleased>(2);
        await _order.ConsumedAsync<PaymentRefunded>(2);
        await _order.ConsumedAsync<ShipmentCancelled>(1);

        var state = await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(CancellationReason.CustomerCancelled, state.CancellationReason);
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCancelled>(1));
        Assert.False(await _order.Harness.Published.Any<MassTransit.Fault<StockReleased>>());
        Assert.False(await _order.Harness.Published.Any<MassTransit.Fault<PaymentRefunded>>());
        Assert.False(await _order.Harness.Published.Any<MassTransit.Fault<ShipmentCancelled>>());
    }
}
