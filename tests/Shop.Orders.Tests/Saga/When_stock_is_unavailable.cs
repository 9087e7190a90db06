using Shop.Contracts;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

public sealed class When_stock_is_unavailable : IAsyncLifetime
{
    OrderSagaHarness _order = null!;
    OrderState _state = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.SubmitAsync();
        await _order.PublishAsync(new StockReservationFailed(_order.OrderId, ["SKU-2"], "insufficient stock"));
        _state = await _order.InStateAsync(_order.Machine.Cancelled);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public void Should_be_cancelled_as_out_of_stock_at_once_with_nothing_to_compensate()
    {
        Assert.Equal(CancellationReason.OutOfStock, _state.CancellationReason);
        Assert.True(_state.CompensationsConfirmed);
    }

    [Fact]
    public async Task Should_publish_order_cancelled() =>
        Assert.Equal(CancellationReason.OutOfStock, (await _order.PublishedAsync<OrderCancelled>()).Reason);

    [Fact]
    public void Should_withdraw_the_stock_reservation_deadline()
    {
        Assert.Null(_state.DeadlineAt);
    }

    [Fact]
    public void Should_neither_charge_nor_compensate()
    {
        Assert.Equal(0, _order.SentCount<ChargePayment>());
        Assert.Equal(0, _order.SentCount<ReleaseStock>());
        Assert.Equal(0, _order.SentCount<RefundPayment>());
    }
}
