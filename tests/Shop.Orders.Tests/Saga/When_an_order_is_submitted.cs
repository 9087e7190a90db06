using Shop.Contracts;
using Shop.Orders.Saga;
using Shop.Testing;

namespace Shop.Orders.Tests.Saga;

public sealed class When_an_order_is_submitted : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.SubmitAsync();
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_reserve_every_line_at_the_inventory_queue()
    {
        var reserve = await _order.SentAsync<ReserveStock>();

        Assert.Equal(_order.OrderId, reserve.OrderId);
        Assert.Equal([new StockLine("SKU-1", 2), new StockLine("SKU-2", 1)], reserve.Lines);
        Assert.EndsWith("/Shop.Contracts:ReserveStock", _order.DestinationOf<ReserveStock>()!.AbsolutePath);
    }

    [Fact]
    public async Task Should_keep_what_the_later_steps_need()
    {
        var state = await _order.InStateAsync(_order.Machine.Submitted);

        Assert.Equal(25.00m, state.Total);
        Assert.Equal("tok_ok", TestPaymentTokenKeys.Open(state.PaymentToken!, _order.OrderId));
        Assert.False(_order.PaymentTokens.Holds(_order.OrderId), "The saga took the token from the order row.");
        Assert.Equal("DE", state.ShippingCountry);
        Assert.Equal(2, state.Lines.Count);
        Assert.NotEqual(default, state.UpdatedAt);
    }

    [Fact]
    public async Task Should_ignore_a_duplicate_submission()
    {
        await _order.PublishAsync(_order.Submitted(total: 10.00m));
        await _order.ConsumedAsync<OrderSubmitted>(2);

        Assert.Equal(1, _order.SentCount<ReserveStock>());
        Assert.Equal(25.00m, (await _order.InStateAsync(_order.Machine.Submitted)).Total);
    }
}
