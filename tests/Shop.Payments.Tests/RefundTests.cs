using Shop.Contracts;
using Shop.Payments.Domain;
using Shop.Testing;

namespace Shop.Payments.Tests;

[Collection(PaymentsCollection.Name)]
public sealed class When_a_captured_payment_is_refunded(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_refund_it_once_at_the_provider_and_reply_to_every_request()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 80m);
        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");

        await fixture.Refund(orderId);
        var refunded = await fixture.Bus.WaitFor<PaymentRefunded>(x => x.OrderId == orderId, "PaymentRefunded");
        await fixture.Refund(orderId);
        await fixture.Bus.WaitForCount<PaymentRefunded>(x => x.OrderId == orderId, 2, "second PaymentRefunded");

        Assert.Equal(captured.PaymentId, refunded.PaymentId);
        Assert.Equal(80m, refunded.Amount);
        Assert.All(fixture.Bus.Received<PaymentRefunded>(x => x.OrderId == orderId), x => Assert.Equal(refunded, x));
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Refund));
        Assert.Equal(0m, await fixture.Net(orderId));

        var charge = Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal((80m, 80m), (charge.Amount, charge.AmountRefunded));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_refund_arrives_before_the_charge(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_record_a_void_and_decline_the_late_charge_without_reaching_the_provider()
    {
        var orderId = Guid.NewGuid();
        await fixture.Refund(orderId);
        var refunded = await fixture.Bus.WaitFor<PaymentRefunded>(x => x.OrderId == orderId, "PaymentRefunded");
        Assert.Null(refunded.PaymentId);
        Assert.Equal(0m, refunded.Amount);

        await fixture.Charge(orderId, 15m);

        var declined = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "PaymentDeclined");
        Assert.Equal(DeclineCodes.Voided, declined.Reason);
        Assert.Empty(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal([PaymentRecordKind.Void, PaymentRecordKind.Decline], (await fixture.Payments(orderId)).Select(x => x.Kind));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_a_refund_arrives_while_the_charge_is_in_flight(PaymentsFixture fixture)
{
    /// <summary>
    /// The late-capture race: the provider has captured (its answer is still on its way) when the compensation is
    /// committed. The refund waits for the charge's outcome, then returns the money at the provider.
    /// </summary>
    [Fact]
    public async Task Should_refund_the_late_capture_at_the_provider()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 44m, "tok_slow");
        await Eventually.True(async () => (await fixture.Provider.ChargesOfAsync(orderId)).Any(x => x.Status == "captured"),
            "the capture at the provider, its answer not sent yet");

        await fixture.Refund(orderId);

        var refunded = await fixture.Bus.WaitFor<PaymentRefunded>(x => x.OrderId == orderId, "PaymentRefunded");
        Assert.Equal(44m, refunded.Amount);
        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "the late PaymentCaptured, told as it is");
        Assert.Equal(captured.PaymentId, refunded.PaymentId);
        Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
        Assert.Equal(0m, await fixture.Net(orderId));
    }

    [Fact]
    public async Task Should_net_to_zero_at_the_provider_whichever_comes_first()
    {
        var orderId = Guid.NewGuid();
        await Task.WhenAll(fixture.Charge(orderId, 19m, "tok_slow"), fixture.Refund(orderId));

        var refunded = await fixture.Bus.WaitFor<PaymentRefunded>(x => x.OrderId == orderId, "PaymentRefunded");
        await Eventually.True(() => Task.FromResult(fixture.Bus.Received<object>(x =>
            x is PaymentCaptured c && c.OrderId == orderId || x is PaymentDeclined d && d.OrderId == orderId).Count > 0), "the charge answered");
        Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
        Assert.Equal(0m, await fixture.Net(orderId));
        Assert.Equal(refunded.Amount, (await fixture.Provider.ChargesOfAsync(orderId)).Sum(x => x.AmountRefunded));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_charges_and_refunds_race(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_net_every_order_to_zero_at_the_provider()
    {
        var orders = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(orders.SelectMany(orderId => new[] { fixture.Charge(orderId, 21m), fixture.Refund(orderId) }));

        await fixture.Bus.WaitForCount<PaymentRefunded>(x => orders.Contains(x.OrderId), orders.Count, "a refund reply per order");
        await Eventually.True(() => Task.FromResult(orders.All(orderId => fixture.Bus.Received<object>(x =>
            x is PaymentCaptured c && c.OrderId == orderId || x is PaymentDeclined d && d.OrderId == orderId).Count > 0)), "a charge reply per order");
        foreach (var orderId in orders)
        {
            Assert.Equal(0m, await fixture.Net(orderId));
            Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
            Assert.True(await fixture.Count(orderId, PaymentRecordKind.Capture) <= 1);
            Assert.True((await fixture.Provider.ChargesOfAsync(orderId)).Length <= 1);
        }
    }
}
