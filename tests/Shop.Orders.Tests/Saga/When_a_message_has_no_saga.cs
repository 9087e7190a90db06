using MassTransit;
using Shop.Contracts;

namespace Shop.Orders.Tests.Saga;

public sealed class When_a_message_has_no_saga : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync() => _order = await OrderSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_fault_a_reply_instead_of_dropping_it()
    {
        await _order.PaymentCapturedAsync(NewId.NextGuid());

        Assert.True(await _order.Harness.Published.Any<Fault<PaymentCaptured>>(x => x.Context.Message.Message.OrderId == _order.OrderId));
        Assert.Equal(0, _order.SentCount<RefundPayment>());
    }

    [Fact]
    public async Task Should_fault_an_early_cancellation_so_that_the_endpoint_redelivers_it()
    {
        await _order.CancelAsync();

        Assert.True(await _order.Harness.Published.Any<Fault<CancelOrder>>(x => x.Context.Message.Message.OrderId == _order.OrderId));
        Assert.False(_order.Saga.Created.Select(x => x.CorrelationId == _order.OrderId).Any());
    }
}
