using Shop.Contracts;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

public sealed class When_stock_reservation_times_out : IAsyncLifetime
{
    OrderSagaHarness _order = null!;
    OrderState _state = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.SubmitAsync();
        await _order.AdvanceAsync(OrderSagaHarness.StockReservationDeadline);
        _state = await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_set_the_deadline_on_submission()
    {
        await using var order = await OrderSagaHarness.StartAsync();
        await order.SubmitAsync();

        var (timeout, due) = Assert.Single(order.Deadlines<StockReservationTimeoutExpired>());
        Assert.Equal(order.OrderId, timeout.OrderId);
        Assert.Equal(order.Clock.GetUtcNow() + OrderSagaHarness.StockReservationDeadline, due);
    }

    [Fact]
    public async Task Should_not_pass_once_the_stock_is_reserved()
    {
        await using var order = await OrderSagaHarness.StartAsync();
        await order.ReserveAsync();
        Assert.Empty(order.Deadlines<StockReservationTimeoutExpired>());

        // Past both deadlines (the payment's, 30 s, is the shorter): only the payment's applies to a reserved order.
        await order.AdvanceAsync(OrderSagaHarness.StockReservationDeadline);

        var state = await order.InStateAsync(order.Machine.Compensating);
        Assert.Equal(CancellationReason.PaymentTimeout, state.CancellationReason);
    }

    [Fact]
    public async Task Should_release_the_stock_so_a_late_reservation_is_refused()
    {
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.StockTimeout), await _order.SentAsync<ReleaseStock>());
        Assert.Equal(0, _order.SentCount<ChargePayment>());
        Assert.Equal(0, _order.SentCount<RefundPayment>());
    }

    [Fact]
    public void Should_compensate_with_the_reason_stock_timeout_and_not_announce_it_yet()
    {
        Assert.Equal(CancellationReason.StockTimeout, _state.CancellationReason);
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());
    }

    [Fact]
    public async Task Should_be_cancelled_once_the_release_is_confirmed()
    {
        await _order.ConfirmAsync(payment: false, shipment: false);

        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(CancellationReason.StockTimeout, (await _order.PublishedAsync<OrderCancelled>()).Reason);
    }

    [Fact]
    public async Task Should_release_a_reservation_that_arrives_late()
    {
        await _order.StockReservedAsync();
        await _order.ConsumedAsync<StockReserved>(1);

        Assert.Equal(2, _order.SentCount<ReleaseStock>());
        Assert.Equal(0, _order.SentCount<ChargePayment>());
    }
}
