using MassTransit;
using Shop.Contracts;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

public sealed class When_shipping_fails : IAsyncLifetime
{
    OrderSagaHarness _order = null!;
    OrderState _state = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.PayAsync(NewId.NextGuid());
        await _order.PublishAsync(new ShipmentFailed(_order.OrderId, "unsupported country", DateTimeOffset.UtcNow));
        _state = await _order.InStateAsync(_order.Machine.Compensating);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_refund_the_payment() =>
        Assert.Equal(new RefundPayment(_order.OrderId, CancellationReason.ShippingFailed), await _order.SentAsync<RefundPayment>());

    [Fact]
    public async Task Should_release_the_stock() =>
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.ShippingFailed), await _order.SentAsync<ReleaseStock>());

    [Fact]
    public void Should_withdraw_the_shipment_deadline()
    {
        Assert.Empty(_order.Deadlines<ShipmentTimeoutExpired>());
        Assert.Single(_order.Deadlines<CompensationTimeoutExpired>());
    }

    [Fact]
    public async Task Should_stay_compensating_until_the_refund_and_the_release_are_both_confirmed()
    {
        await _order.ConfirmAsync(payment: false, shipment: false);
        await _order.ConsumedAsync<StockReleased>(1);
        Assert.Equal(0, (await _order.InStateAsync(_order.Machine.Compensating)).PendingStockReleases);
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());

        await _order.ConfirmAsync(stock: false, shipment: false);

        var state = await _order.InStateAsync(_order.Machine.Cancelled);
        Assert.Equal(CancellationReason.ShippingFailed, state.CancellationReason);
        Assert.Equal(CancellationReason.ShippingFailed, (await _order.PublishedAsync<OrderCancelled>()).Reason);
        Assert.Equal(0, _order.SentCount<CommitStock>());
    }
}
