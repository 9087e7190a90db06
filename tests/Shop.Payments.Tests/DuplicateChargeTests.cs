using Shop.Contracts;
using Shop.Payments.Domain;
using Shop.Testing;

namespace Shop.Payments.Tests;

[Collection(PaymentsCollection.Name)]
public sealed class When_the_same_ChargePayment_message_is_delivered_twice(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_consume_it_once()
    {
        var orderId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await fixture.Charge(orderId, 10m, messageId: messageId);
        await fixture.Charge(orderId, 10m, messageId: messageId);

        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");
        // The copy was consumed too (and dropped by the inbox), not still on its way.
        await fixture.Consumed.WaitFor(messageId, times: 2);
        await Consistently.True(() => fixture.Bus.Received<PaymentCaptured>(x => x.OrderId == orderId).Count == 1, "one PaymentCaptured");
        Assert.Single(fixture.Bus.Received<PaymentCaptured>(x => x.OrderId == orderId));
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Capture));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_ChargePayment_is_sent_again_for_the_same_order(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_reply_the_same_capture_without_charging_again()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 12m);
        var first = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "first PaymentCaptured");

        var retry = await fixture.Charge(orderId, 12m);

        await Eventually.True(() => Task.FromResult(fixture.Bus.ReceivedFrom<PaymentCaptured>(retry).Count == 1), "reply to the retry");
        Assert.Equal(first, fixture.Bus.ReceivedFrom<PaymentCaptured>(retry).Single());
        Assert.Equal(1, fixture.Gateway.AttemptsFor(orderId));
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Capture));
    }

    [Fact]
    public async Task Should_reply_the_same_decline()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 12m, TestTokens.ChargeDeclined);
        var first = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "first PaymentDeclined");

        var retry = await fixture.Charge(orderId, 12m, "tok_visa");

        await Eventually.True(() => Task.FromResult(fixture.Bus.ReceivedFrom<PaymentDeclined>(retry).Count == 1), "reply to the retry");
        Assert.Equal(first, fixture.Bus.ReceivedFrom<PaymentDeclined>(retry).Single());
        Assert.Equal(0, await fixture.Count(orderId, PaymentRecordKind.Capture));
    }

    [Fact]
    public async Task Should_capture_once_when_the_copies_arrive_together()
    {
        var orderId = Guid.NewGuid();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.Charge(orderId, 33m)));

        await fixture.Bus.WaitForCount<PaymentCaptured>(x => x.OrderId == orderId, 8, "eight replies");
        Assert.Single(fixture.Bus.Received<PaymentCaptured>(x => x.OrderId == orderId).Select(x => x.PaymentId).Distinct());
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Capture));
        Assert.Equal(33m, await fixture.Net(orderId));
    }
}
