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
        _state = await _order.InStateAsync(_order.Machine.Cancelled);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_refund_the_payment() =>
        Assert.Equal(new RefundPayment(_order.OrderId, CancellationReason.ShippingFailed), await _order.SentAsync<RefundPayment>());

    [Fact]
    public async Task Should_release_the_stock() =>
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.ShippingFailed), await _order.SentAsync<ReleaseStock>());

    [Fact]
    public async Task Should_be_cancelled_as_shipping_failed()
    {
        Assert.Equal(CancellationReason.ShippingFailed, _state.CancellationReason);
        Assert.Equal(CancellationReason.ShippingFailed, (await _order.PublishedAsync<OrderCancelled>()).Reason);
        Assert.Equal(0, _order.SentCount<CommitStock>());
    }
}
