using Shop.Contracts;
using Shop.Payments.Domain;

namespace Shop.Payments.Tests;

[Collection(PaymentsCollection.Name)]
public sealed class When_a_captured_payment_is_refunded(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_refund_it_once_and_reply_to_every_request()
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
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_refund_arrives_before_the_charge(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_record_a_void_and_decline_the_late_charge()
    {
        var orderId = Guid.NewGuid();
        await fixture.Refund(orderId);
        var refunded = await fixture.Bus.WaitFor<PaymentRefunded>(x => x.OrderId == orderId, "PaymentRefunded");
        Assert.Null(refunded.PaymentId);
        Assert.Equal(0m, refunded.Amount);

        await fixture.Charge(orderId, 15m);

        var declined = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "PaymentDeclined");
        Assert.Equal(DeclineCodes.Voided, declined.Reason);
        Assert.Equal(0, fixture.Gateway.AttemptsFor(orderId));
        Assert.Equal([PaymentRecordKind.Void, PaymentRecordKind.Decline], (await fixture.Payments(orderId)).Select(x => x.Kind));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_charges_and_refunds_race(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_net_every_order_to_zero()
    {
        var orders = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        await Task.WhenAll(orders.SelectMany(orderId => new[] { fixture.Charge(orderId, 21m), fixture.Refund(orderId) }));

        await fixture.Bus.WaitForCount<PaymentRefunded>(x => orders.Contains(x.OrderId), orders.Count, "a refund reply per order");
        await fixture.Bus.WaitForCount<object>(x => x is PaymentCaptured c && orders.Contains(c.OrderId)
            || x is PaymentDeclined d && orders.Contains(d.OrderId), orders.Count, "a charge reply per order");
        foreach (var orderId in orders)
        {
            Assert.Equal(0m, await fixture.Net(orderId));
            Assert.True(await fixture.Count(orderId, PaymentRecordKind.Capture) <= 1);
        }
    }
}
