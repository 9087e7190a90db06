using Shop.Contracts;
using Shop.Testing;

namespace Shop.Orders.Tests.Saga;

public sealed class When_stock_is_reserved : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.ReserveAsync();
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_charge_the_order_total_with_the_customers_token()
    {
        var charge = await _order.SentAsync<ChargePayment>();

        Assert.Equal(new ChargePayment(_order.OrderId, "customer-1", 25.00m, charge.PaymentToken), charge);
        Assert.Equal("tok_ok", TestPaymentTokenKeys.Open(charge.PaymentToken, _order.OrderId));
        Assert.EndsWith("/Shop.Contracts:ChargePayment", _order.DestinationOf<ChargePayment>()!.AbsolutePath);
    }

    [Fact]
    public async Task Should_set_the_payment_deadline_in_place_of_the_stock_deadline()
    {
        var state = await _order.InStateAsync(_order.Machine.Reserved);

        var (timeout, due) = Assert.Single(_order.Deadlines<PaymentTimeoutExpired>());
        Assert.Equal(_order.OrderId, timeout.OrderId);
        Assert.Equal(_order.Clock.GetUtcNow() + OrderSagaHarness.PaymentTimeout, due);
        Assert.Equal(due, state.DeadlineAt);
        Assert.Empty(_order.Deadlines<StockReservationTimeoutExpired>());
    }
}
