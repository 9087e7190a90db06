using MassTransit;
using Shop.Contracts;

namespace Shop.Orders.Tests.Saga;

/// <summary>
/// A compensation that failed every retry (its Fault arrives; the command is in _error) keeps the order in
/// Compensating: money or stock is still held. Re-driven and confirmed, the order ends Cancelled.
/// </summary>
public sealed class When_a_compensation_faults : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.PayAsync(NewId.NextGuid());
        await _order.PublishAsync(new ShipmentFailed(_order.OrderId, "unsupported country", DateTimeOffset.UtcNow));
        await _order.InStateAsync(_order.Machine.Compensating);

        var refund = await _order.SentAsync<RefundPayment>();
        await _order.ConfirmAsync(payment: false, shipment: false);
        await _order.Harness.Bus.Publish<Fault<RefundPayment>>(new
        {
            Message = refund,
            FaultId = NewId.NextGuid(),
            Timestamp = DateTime.UtcNow,
            Exceptions = Array.Empty<ExceptionInfo>(),
            FaultMessageTypes = new[] { MessageUrn.ForTypeString<RefundPayment>() },
        });
        await _order.ConsumedAsync<StockReleased>(1);
        await _order.ConsumedAsync<Fault<RefundPayment>>(1);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_stay_compensating_and_announce_nothing()
    {
        var state = await _order.InStateAsync(_order.Machine.Compensating);

        Assert.Equal(1, state.PendingRefunds);
        Assert.Equal(0, state.PendingStockReleases);
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());
    }

    [Fact]
    public async Task Should_stay_compensating_past_the_compensation_deadline()
    {
        await _order.AdvanceAsync(OrderSagaHarness.CompensationDeadline * 3);

        await _order.InStateAsync(_order.Machine.Compensating);
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());
    }

    [Fact]
    public async Task Should_be_cancelled_once_the_redriven_refund_is_confirmed()
    {
        await _order.ConfirmAsync(stock: false, shipment: false);

        await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(CancellationReason.ShippingFailed, (await _order.PublishedAsync<OrderCancelled>()).Reason);
        Assert.Equal(1, _order.SentCount<RefundPayment>());
    }
}
