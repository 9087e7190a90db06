using MassTransit;
using Shop.Contracts;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

public sealed class When_the_captured_amount_differs_from_the_total : IAsyncLifetime
{
    readonly Guid _paymentId = NewId.NextGuid();
    OrderSagaHarness _order = null!;
    OrderState _state = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.ReserveAsync();
        await _order.PublishAsync(new PaymentCaptured(_order.OrderId, _paymentId, 24.99m, DateTimeOffset.UtcNow));
        _state = await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_refund_it_and_release_the_stock_instead_of_shipping()
    {
        Assert.Equal(new RefundPayment(_order.OrderId, CancellationReason.PaymentAmountMismatch), await _order.SentAsync<RefundPayment>());
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.PaymentAmountMismatch), await _order.SentAsync<ReleaseStock>());
        Assert.Equal(0, _order.SentCount<CreateShipment>());
        Assert.Empty(_order.Deadlines<ShipmentTimeoutExpired>());
        Assert.Empty(_order.Deadlines<PaymentTimeoutExpired>());
    }

    [Fact]
    public void Should_compensate_with_the_reason_payment_amount_mismatch()
    {
        Assert.Equal(CancellationReason.PaymentAmountMismatch, _state.CancellationReason);
        Assert.Equal(_paymentId, _state.PaymentId);
        Assert.Contains(_order.Errors, line => line.Contains("24.99") && line.Contains("25.00"));
    }

    [Fact]
    public async Task Should_be_cancelled_once_refunded_and_released()
    {
        await _order.ConfirmAsync(shipment: false);

        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(CancellationReason.PaymentAmountMismatch, (await _order.PublishedAsync<OrderCancelled>()).Reason);
    }
}
