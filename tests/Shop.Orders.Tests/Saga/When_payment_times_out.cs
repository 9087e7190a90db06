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
        _order = await OrderSagaHarness.StartAsync();
        await _order.ReserveAsync();
        await _order.AdvanceAsync(OrderSagaHarness.PaymentTimeout);
        _state = await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_not_pass_before_its_deadline()
    {
        await using var order = await OrderSagaHarness.StartAsync();
        await order.ReserveAsync();
        await order.AdvanceAsync(OrderSagaHarness.PaymentTimeout - TimeSpan.FromSeconds(1));

        Assert.Single(order.Deadlines<PaymentTimeoutExpired>());
        await order.InStateAsync(order.Machine.Reserved);
    }

    [Fact]
    public async Task Should_void_the_pending_charge() =>
        Assert.Equal(new RefundPayment(_order.OrderId, CancellationReason.PaymentTimeout), await _order.SentAsync<RefundPayment>());

    [Fact]
    public async Task Should_release_the_stock() =>
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.PaymentTimeout), await _order.SentAsync<ReleaseStock>());

    [Fact]
    public async Task Should_be_cancelled_as_payment_timeout_once_both_are_confirmed()
    {
        Assert.Equal(CancellationReason.PaymentTimeout, _state.CancellationReason);
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());

        await _order.ConfirmAsync(shipment: false);

        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(CancellationReason.PaymentTimeout, (await _order.PublishedAsync<OrderCancelled>()).Reason);
    }

    [Fact]
    public async Task Should_refund_a_payment_captured_late_and_wait_for_that_refund_too()
    {
        var paymentId = NewId.NextGuid();
        await _order.PaymentCapturedAsync(paymentId);
        await _order.ConsumedAsync<PaymentCaptured>(1);

        Assert.Equal(2, _order.SentCount<RefundPayment>());
        var state = await _order.InStateAsync(_order.Machine.Compensating);
        Assert.Equal(paymentId, state.PaymentId);
        Assert.Equal(1, state.PendingRefunds);
        Assert.Equal(0, _order.SentCount<CreateShipment>());

        // A void and the release: they say nothing of the late capture, whose refund is still to come.
        await _order.ConfirmAsync(payment: false, shipment: false);
        await _order.PublishAsync(new PaymentRefunded(_order.OrderId, null, 0m, DateTimeOffset.UtcNow));
        await _order.ConsumedAsync<PaymentRefunded>(1);
        Assert.Equal(1, (await _order.InStateAsync(_order.Machine.Compensating)).PendingRefunds);

        await _order.PublishAsync(new PaymentRefunded(_order.OrderId, paymentId, 25.00m, DateTimeOffset.UtcNow));
        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCancelled>(1));
    }

    [Fact]
    public async Task Should_take_one_refund_of_the_capture_as_the_answer_to_every_refund_asked_for()
    {
        var paymentId = NewId.NextGuid();
        await _order.PaymentCapturedAsync(paymentId);
        await _order.ConsumedAsync<PaymentCaptured>(1);
        Assert.Equal(2, _order.SentCount<RefundPayment>());

        // Payments confirms a compensation once it is true at the provider, not once per request.
        await _order.ConfirmAsync(payment: false, shipment: false);
        await _order.PublishAsync(new PaymentRefunded(_order.OrderId, paymentId, 25.00m, DateTimeOffset.UtcNow));

        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCancelled>(1));
    }
}
