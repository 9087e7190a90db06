using Shop.Contracts;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

public sealed class When_payment_is_declined : IAsyncLifetime
{
    OrderSagaHarness _order = null!;
    OrderState _state = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.ReserveAsync();
        await _order.PublishAsync(new PaymentDeclined(_order.OrderId, "insufficient funds", DateTimeOffset.UtcNow));
        _state = await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_release_the_stock()
    {
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.PaymentDeclined), await _order.SentAsync<ReleaseStock>());
        Assert.EndsWith("/Shop.Contracts:ReleaseStock", _order.DestinationOf<ReleaseStock>()!.AbsolutePath);
    }

    [Fact]
    public void Should_compensate_with_the_reason_payment_declined_and_wait_for_the_release()
    {
        Assert.Equal(CancellationReason.PaymentDeclined, _state.CancellationReason);
        Assert.Empty(_order.Deadlines<PaymentTimeoutExpired>());
        Assert.Single(_order.Deadlines<CompensationTimeoutExpired>());
        Assert.Equal((1, 0, 0), (_state.PendingStockReleases, _state.PendingRefunds, _state.PendingShipmentCancels));
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());
    }

    [Fact]
    public async Task Should_be_cancelled_and_announced_once_the_stock_is_released()
    {
        await _order.ConfirmAsync(payment: false, shipment: false);

        var state = await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(CancellationReason.PaymentDeclined, (await _order.PublishedAsync<OrderCancelled>()).Reason);
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCancelled>(1));
        Assert.Null(state.DeadlineAt);
    }

    [Fact]
    public void Should_not_refund_or_ship()
    {
        Assert.Equal(0, _order.SentCount<RefundPayment>());
        Assert.Equal(0, _order.SentCount<CreateShipment>());
    }
}
