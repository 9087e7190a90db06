using MassTransit;
using Shop.Contracts;

namespace Shop.Orders.Tests.Saga;

public sealed class When_the_payment_timeout_expires_after_payment : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.PayAsync(NewId.NextGuid());
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_have_withdrawn_it_so_it_never_arrives()
    {
        Assert.Empty(_order.Deadlines<PaymentTimeoutExpired>());

        await _order.AdvanceAsync(OrderSagaHarness.PaymentTimeout + TimeSpan.FromSeconds(1));

        var state = await _order.InStateAsync(_order.Machine.Paid);
        Assert.Null(state.CancellationReason);
        Assert.Empty(_order.Saga.Consumed.Select<PaymentTimeoutExpired>());
    }

    [Fact]
    public async Task Should_ignore_a_stale_timeout_already_on_its_way()
    {
        // The deadline poller sent it just as the payment arrived: it finds the order Paid, whose deadline is another.
        var endpoint = await _order.Harness.Bus.GetSendEndpoint(_order.SagaAddress);
        await endpoint.Send(new PaymentTimeoutExpired(_order.OrderId));
        await _order.ConsumedAsync<PaymentTimeoutExpired>(1);

        var state = await _order.InStateAsync(_order.Machine.Paid);
        Assert.Null(state.CancellationReason);
        Assert.Equal(0, _order.SentCount<RefundPayment>());
        Assert.Equal(0, _order.SentCount<ReleaseStock>());
    }
}
