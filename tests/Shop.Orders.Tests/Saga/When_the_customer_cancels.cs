using MassTransit;
using Shop.Contracts;

namespace Shop.Orders.Tests.Saga;

public sealed class When_the_customer_cancels_a_submitted_order : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.SubmitAsync();
        await _order.CancelAsync();
        await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_release_the_stock_so_a_later_reservation_is_refused() =>
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.CustomerCancelled), await _order.SentAsync<ReleaseStock>());

    [Fact]
    public async Task Should_withdraw_the_stock_reservation_deadline()
    {
        await _order.InStateAsync(_order.Machine.Compensating);
        Assert.Empty(_order.Deadlines<StockReservationTimeoutExpired>());
        Assert.Single(_order.Deadlines<CompensationTimeoutExpired>());
    }

    [Fact]
    public async Task Should_publish_order_cancelled_once_once_released()
    {
        await _order.CancelAsync();
        await _order.ConsumedAsync<CancelOrder>(2);
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());

        await _order.ConfirmAsync(payment: false, shipment: false);
        await _order.InStateAsync(_order.Machine.Cancelled);

        Assert.Equal(CancellationReason.CustomerCancelled, (await _order.PublishedAsync<OrderCancelled>()).Reason);
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCancelled>(1));
        Assert.Equal(1, _order.SentCount<ReleaseStock>());
    }

    [Fact]
    public async Task Should_release_a_reservation_that_arrives_late_and_not_charge()
    {
        await _order.StockReservedAsync();
        await _order.ConsumedAsync<StockReserved>(1);

        Assert.Equal(2, _order.SentCount<ReleaseStock>());
        Assert.Equal(0, _order.SentCount<ChargePayment>());
        Assert.Equal(2, (await _order.InStateAsync(_order.Machine.Compensating)).PendingStockReleases);
    }

    [Fact]
    public async Task Should_release_a_reservation_that_arrives_after_the_cancellation_is_announced()
    {
        await _order.ConfirmAsync(payment: false, shipment: false);
        await _order.InStateAsync(_order.Machine.Cancelled);

        await _order.StockReservedAsync();
        await _order.ConsumedAsync<StockReserved>(1);

        Assert.Equal(2, _order.SentCount<ReleaseStock>());
        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCancelled>(1));
    }
}

public sealed class When_the_customer_cancels_a_reserved_order : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.ReserveAsync();
        await _order.CancelAsync();
        await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_void_the_pending_charge_and_release_the_stock()
    {
        Assert.Equal(new RefundPayment(_order.OrderId, CancellationReason.CustomerCancelled), await _order.SentAsync<RefundPayment>());
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.CustomerCancelled), await _order.SentAsync<ReleaseStock>());
    }

    [Fact]
    public async Task Should_stop_the_payment_timeout()
    {
        await _order.InStateAsync(_order.Machine.Compensating);
        Assert.Empty(_order.Deadlines<PaymentTimeoutExpired>());
        Assert.Single(_order.Deadlines<CompensationTimeoutExpired>());
    }

    [Fact]
    public async Task Should_refund_a_payment_captured_late()
    {
        await _order.PaymentCapturedAsync(NewId.NextGuid());
        await _order.ConsumedAsync<PaymentCaptured>(1);

        Assert.Equal(2, _order.SentCount<RefundPayment>());
        Assert.Equal(0, _order.SentCount<CreateShipment>());
    }
}

public sealed class When_the_customer_cancels_a_paid_order : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.PayAsync(NewId.NextGuid());
        await _order.CancelAsync();
        await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_cancel_the_shipment_refund_and_release()
    {
        Assert.Equal(new CancelShipment(_order.OrderId, CancellationReason.CustomerCancelled), await _order.SentAsync<CancelShipment>());
        Assert.Equal(new RefundPayment(_order.OrderId, CancellationReason.CustomerCancelled), await _order.SentAsync<RefundPayment>());
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.CustomerCancelled), await _order.SentAsync<ReleaseStock>());
        Assert.Empty(_order.Deadlines<ShipmentTimeoutExpired>());
    }

    [Fact]
    public async Task Should_be_cancelled_once_all_three_are_confirmed()
    {
        await _order.ConfirmAsync(shipment: false);
        await _order.ConsumedAsync<PaymentRefunded>(1);
        await _order.ConsumedAsync<StockReleased>(1);
        await _order.InStateAsync(_order.Machine.Compensating);
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());

        await _order.ConfirmAsync(stock: false, payment: false);

        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCancelled>(1));
    }

    [Fact]
    public async Task Should_cancel_a_shipment_created_late()
    {
        await _order.ShipmentCreatedAsync();
        await _order.ConsumedAsync<ShipmentCreated>(1);

        Assert.Equal(2, _order.SentCount<CancelShipment>());
        Assert.Equal(0, _order.SentCount<CommitStock>());
        Assert.Equal(0, _order.PublishedCount<OrderCompleted>());
    }
}

public sealed class When_the_customer_cancels_a_completed_order : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.PayAsync(NewId.NextGuid());
        await _order.ShipmentCreatedAsync();
        await _order.InStateAsync(_order.Machine.Completed);
        await _order.CancelAsync();
        await _order.ConsumedAsync<CancelOrder>(1);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_stay_completed_and_undo_nothing()
    {
        var state = await _order.InStateAsync(_order.Machine.Completed);

        Assert.Null(state.CancellationReason);
        Assert.Null(state.DeadlineAt);
        Assert.Equal(0, _order.SentCount<ReleaseStock>());
        Assert.Equal(0, _order.SentCount<RefundPayment>());
        Assert.Equal(0, _order.SentCount<CancelShipment>());
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());
    }
}
