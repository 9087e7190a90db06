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
        _state = await _order.InStateAsync(_order.Machine.Cancelled);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_release_the_stock()
    {
        Assert.Equal(new ReleaseStock(_order.OrderId, CancellationReason.PaymentDeclined), await _order.SentAsync<ReleaseStock>());
        Assert.EndsWith("/release-stock", _order.DestinationOf<ReleaseStock>()!.AbsolutePath);
    }

    [Fact]
    public void Should_be_cancelled_as_payment_declined()
    {
        Assert.Equal(CancellationReason.PaymentDeclined, _state.CancellationReason);
        Assert.Null(_state.PaymentTimeoutTokenId);
    }

    [Fact]
    public async Task Should_publish_order_cancelled() =>
        Assert.Equal(CancellationReason.PaymentDeclined, (await _order.PublishedAsync<OrderCancelled>()).Reason);

    [Fact]
    public void Should_not_refund_or_ship()
    {
        Assert.Equal(0, _order.SentCount<RefundPayment>());
        Assert.Equal(0, _order.SentCount<CreateShipment>());
    }
}
