using MassTransit;
using Shop.Contracts;

namespace Shop.Orders.Tests.Saga;

public sealed class When_the_payment_timeout_expires_after_payment : IAsyncLifetime
{
    static readonly TimeSpan PaymentTimeout = TimeSpan.FromMilliseconds(300);
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync(PaymentTimeout);
        await _order.SubmitAsync();
        await _order.StockReservedAsync();
        await _order.PaymentCapturedAsync(NewId.NextGuid());
        await _order.InStateAsync(_order.Machine.Paid);
        // The harness's delayed scheduler cannot cancel, so the stale timeout arrives, as one does in production when it
        // was already on its way to the broker as the payment arrived. It must change nothing.
        await _order.ConsumedAsync<PaymentTimeoutExpired>(1);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_stay_paid()
    {
        var state = await _order.InStateAsync(_order.Machine.Paid);

        Assert.Null(state.CancellationReason);
        Assert.Equal(0, _order.SentCount<RefundPayment>());
        Assert.Equal(0, _order.SentCount<ReleaseStock>());
    }
}
