using MassTransit;
using Shop.Contracts;
using Shop.Testing;

namespace Shop.Orders.Tests.Saga;

/// <summary>The payment token: never in a published event, sent once in ChargePayment, forgotten once the charge is decided.</summary>
public sealed class When_the_charge_is_decided : IAsyncLifetime
{
    OrderSagaHarness _order = null!;

    public async Task InitializeAsync()
    {
        _order = await OrderSagaHarness.StartAsync();
        await _order.ReserveAsync();
    }

    public async Task DisposeAsync() => await _order.DisposeAsync();

    [Fact]
    public async Task Should_send_the_token_in_ChargePayment()
    {
        var charge = await _order.SentAsync<ChargePayment>();

        // Sealed for Payments: the command (and its faults, error queues, redelivery rows) never holds the token itself.
        Assert.DoesNotContain("tok_ok", charge.PaymentToken, StringComparison.Ordinal);
        Assert.Equal("tok_ok", TestPaymentTokenKeys.Open(charge.PaymentToken, _order.OrderId));
        Assert.Equal(charge.PaymentToken, (await _order.InStateAsync(_order.Machine.Reserved)).PaymentToken);
    }

    [Fact]
    public async Task Should_forget_the_token_once_captured()
    {
        await _order.PaymentCapturedAsync(NewId.NextGuid());

        Assert.Null((await _order.InStateAsync(_order.Machine.Paid)).PaymentToken);
    }

    [Fact]
    public async Task Should_forget_the_token_once_declined()
    {
        await _order.PublishAsync(new PaymentDeclined(_order.OrderId, "card_declined", DateTimeOffset.UtcNow));

        Assert.Null((await _order.InStateAsync(_order.Machine.Compensating)).PaymentToken);
    }

    [Fact]
    public void Should_publish_no_token_in_OrderSubmitted()
    {
        Assert.DoesNotContain(typeof(OrderSubmitted).GetProperties(), x => x.Name.Contains("Token", StringComparison.OrdinalIgnoreCase));
    }
}
