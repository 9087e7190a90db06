using MassTransit;
using Shop.Contracts;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

public sealed class When_payment_times_out : IAsyncLifetime
{
    OrderSagaHarness _order = null!;
    OrderState _state = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync(paymentTimeout: TimeSpan.FromMilliseconds(500));
        await _order.ReserveAsync();
        _state = await _order.InStateAsync(_order.Machine.Cancelled);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_void_the_pending_charge() =>
        Assert.Equal(new RefundPayment(_order.OrderId, CancellationReason.PaymentTimeout), await _order.SentAsync<RefundPayment>());

    [Fact]
    public async Task Should_release_the_stock() =>
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.PaymentTimeout), await _order.SentAsync<ReleaseStock>());

    [Fact]
    public async Task Should_be_cancelled_as_payment_timeout()
    {
        Assert.Equal(CancellationReason.PaymentTimeout, _state.CancellationReason);
        Assert.Equal(CancellationReason.PaymentTimeout, (await _order.PublishedAsync<OrderCancelled>()).Reason);
    }

    [Fact]
    public async Task Should_refund_a_payment_captured_late()
    {
        var paymentId = NewId.NextGuid();
        await _order.PaymentCapturedAsync(paymentId);
        await _order.ConsumedAsync<PaymentCaptured>(1);

        Assert.Equal(2, _order.SentCount<RefundPayment>());
        var state = await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(paymentId, state.PaymentId);
        Assert.Equal(0, _order.SentCount<CreateShipment>());
        Assert.Equal(1, _order.PublishedCount<OrderCancelled>());
    }
}
