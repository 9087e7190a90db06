using MassTransit;
using Shop.Contracts;

namespace Shop.Orders.Tests.Saga;

public sealed class When_replies_are_duplicated : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync() => _order = await OrderSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_charge_once_for_a_duplicated_reservation()
    {
        await _order.ReserveAsync();
        await _order.StockReservedAsync();
        await _order.ConsumedAsync<StockReserved>(2);

        Assert.Equal(1, _order.SentCount<ChargePayment>());
        await _order.InStateAsync(_order.Machine.Reserved);
    }

    [Fact]
    public async Task Should_ship_once_for_a_duplicated_capture()
    {
        var paymentId = NewId.NextGuid();
        await _order.PayAsync(paymentId);
        await _order.PaymentCapturedAsync(paymentId);
        await _order.StockReservedAsync();
        await _order.ConsumedAsync<PaymentCaptured>(2);
        await _order.ConsumedAsync<StockReserved>(2);

        Assert.Equal(1, _order.SentCount<CreateShipment>());
        Assert.Equal(1, _order.SentCount<ChargePayment>());
        await _order.InStateAsync(_order.Machine.Paid);
    }

    [Fact]
    public async Task Should_complete_once_for_a_duplicated_shipment()
    {
        await _order.PayAsync(NewId.NextGuid());
        await _order.ShipmentCreatedAsync();
        await _order.InStateAsync(_order.Machine.Completed);
        await _order.ShipmentCreatedAsync();
        await _order.PaymentCapturedAsync(NewId.NextGuid());
        await _order.ConsumedAsync<ShipmentCreated>(2);
        await _order.ConsumedAsync<PaymentCaptured>(2);

        Assert.Equal(1, _order.SentCount<CommitStock>());
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCompleted>(1));
        Assert.Equal(0, _order.SentCount<RefundPayment>());
        Assert.False(await _order.Harness.Published.Any<Fault<ShipmentCreated>>(x => x.Context.Message.Message.OrderId == _order.OrderId));
    }

    [Fact]
    public async Task Should_ignore_a_duplicated_decline_while_compensating_and_after_cancellation()
    {
        await _order.ReserveAsync();
        var declined = new PaymentDeclined(_order.OrderId, "insufficient funds", DateTimeOffset.UtcNow);
        await _order.PublishAsync(declined);
        await _order.InStateAsync(_order.Machine.Compensating);
        await _order.PublishAsync(declined);
        await _order.ConsumedAsync<PaymentDeclined>(2);
        await _order.ConfirmAsync(payment: false, shipment: false);
        await _order.InStateAsync(_order.Machine.Cancelled);
        await _order.PublishAsync(declined);
        await _order.ConsumedAsync<PaymentDeclined>(3);

        Assert.Equal(1, _order.SentCount<ReleaseStock>());
        Assert.Equal(1, await _order.PublishedCountAsync<OrderCancelled>(1));
    }
}
