using MassTransit;
using Shop.Contracts;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

public sealed class When_the_shipment_times_out : IAsyncLifetime
{
    OrderSagaHarness _order = null!;
    OrderState _state = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.PayAsync(NewId.NextGuid());
        await _order.AdvanceAsync(OrderSagaHarness.ShipmentDeadline);
        _state = await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_not_pass_before_its_deadline_nor_once_shipped()
    {
        await using var order = await OrderSagaHarness.StartAsync();
        await order.PayAsync(NewId.NextGuid());
        await order.AdvanceAsync(OrderSagaHarness.ShipmentDeadline - TimeSpan.FromSeconds(1));
        await order.InStateAsync(order.Machine.Paid);

        await order.ShipmentCreatedAsync();
        await order.InStateAsync(order.Machine.Completed);
        Assert.Empty(order.Deadlines<ShipmentTimeoutExpired>());
    }

    [Fact]
    public async Task Should_cancel_the_shipment_refund_and_release()
    {
        Assert.Equal(new CancelShipment(_order.OrderId, CancellationReason.ShipmentTimeout), await _order.SentAsync<CancelShipment>());
        Assert.Equal(new RefundPayment(_order.OrderId, CancellationReason.ShipmentTimeout), await _order.SentAsync<RefundPayment>());
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.ShipmentTimeout), await _order.SentAsync<ReleaseStock>());
    }

    [Fact]
    public void Should_compensate_with_the_reason_shipment_timeout_under_the_compensation_deadline()
    {
        Assert.Equal(CancellationReason.ShipmentTimeout, _state.CancellationReason);
        Assert.Equal((1, 1, 1), (_state.PendingStockReleases, _state.PendingRefunds, _state.PendingShipmentCancels));
        Assert.Single(_order.Deadlines<CompensationTimeoutExpired>());
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());
    }

    [Fact]
    public async Task Should_cancel_a_shipment_created_late_and_wait_for_both_cancellations()
    {
        await _order.ShipmentCreatedAsync();
        await _order.ConsumedAsync<ShipmentCreated>(1);
        Assert.Equal(2, _order.SentCount<CancelShipment>());
        Assert.Equal(0, _order.PublishedCount<OrderCompleted>());

        await _order.ConfirmAsync();
        await _order.ConsumedAsync<ShipmentCancelled>(1);
        Assert.Equal(1, (await _order.InStateAsync(_order.Machine.Compensating)).PendingShipmentCancels);

        await _order.ConfirmAsync(stock: false, payment: false);
        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(CancellationReason.ShipmentTimeout, (await _order.PublishedAsync<OrderCancelled>()).Reason);
    }
}
