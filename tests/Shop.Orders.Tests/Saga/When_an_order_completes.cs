using MassTransit;
using Shop.Contracts;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Saga;

public sealed class When_an_order_completes : IAsyncLifetime
{
    readonly Guid _paymentId = NewId.NextGuid();
    OrderSagaHarness _order = null!;
    OrderState _state = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.PayAsync(_paymentId);
        await _order.ShipmentCreatedAsync();
        _state = await _order.InStateAsync(_order.Machine.Completed);
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_ship_the_lines_to_the_address_once_paid()
    {
        var shipment = await _order.SentAsync<CreateShipment>();

        Assert.Equal(OrderSagaHarness.Address, shipment.Address);
        Assert.Equal([new StockLine("SKU-1", 2), new StockLine("SKU-2", 1)], shipment.Lines);
    }

    [Fact]
    public async Task Should_commit_the_stock() => Assert.Equal(_order.OrderId, (await _order.SentAsync<CommitStock>()).OrderId);

    [Fact]
    public async Task Should_publish_order_completed_with_the_tracking_number()
    {
        var completed = await _order.PublishedAsync<OrderCompleted>();

        Assert.Equal("TRACK-1", completed.TrackingNumber);
        Assert.Equal(25.00m, completed.Total);
        Assert.Equal("ada@example.com", completed.Email);
    }

    [Fact]
    public void Should_record_the_payment_and_the_tracking_number()
    {
        Assert.Equal(_paymentId, _state.PaymentId);
        Assert.Equal("TRACK-1", _state.TrackingNumber);
        Assert.Null(_state.CancellationReason);
    }

    [Fact]
    public void Should_compensate_nothing()
    {
        Assert.Equal(0, _order.SentCount<ReleaseStock>());
        Assert.Equal(0, _order.SentCount<RefundPayment>());
        Assert.Equal(0, _order.PublishedCount<OrderCancelled>());
    }
}
