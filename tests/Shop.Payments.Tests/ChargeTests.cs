using Shop.Contracts;
using Shop.Payments.Domain;
using Shop.Testing;

namespace Shop.Payments.Tests;

[Collection(PaymentsCollection.Name)]
public sealed class When_the_card_is_good(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_publish_PaymentCaptured_and_record_one_capture()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 49.90m, "tok_visa");

        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");
        Assert.Equal(49.90m, captured.Amount);

        var record = Assert.Single(await fixture.Payments(orderId));
        Assert.Equal(PaymentRecordKind.Capture, record.Kind);
        Assert.Equal(captured.PaymentId, record.PaymentId);
        Assert.Equal(49.90m, record.Amount);
        Assert.Equal(captured.CapturedAt, record.At);
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_card_is_declined(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_publish_PaymentDeclined()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 20m, TestTokens.ChargeDeclined);

        var declined = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "PaymentDeclined");
        Assert.Equal(DeclineCodes.CardDeclined, declined.Reason);

        var record = Assert.Single(await fixture.Payments(orderId));
        Assert.Equal(PaymentRecordKind.Decline, record.Kind);
        Assert.Equal(DeclineCodes.CardDeclined, record.Reason);
        Assert.Equal(0m, await fixture.Net(orderId));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_amount_is_over_the_limit(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_decline_it()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, FakePaymentGateway.MaxAmount + 0.01m);

        var declined = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "PaymentDeclined");
        Assert.Equal(DeclineCodes.AmountTooLarge, declined.Reason);
        Assert.Equal(0, await fixture.Count(orderId, PaymentRecordKind.Capture));
    }

    [Fact]
    public async Task Should_capture_exactly_the_limit()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, FakePaymentGateway.MaxAmount);

        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");
        Assert.Equal(FakePaymentGateway.MaxAmount, captured.Amount);
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_gateway_has_a_processing_error(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_retry_at_once_and_capture_exactly_once()
    {
        var orderId = Guid.NewGuid();
        var messageId = await fixture.Charge(orderId, 75m, TestTokens.ProcessingError);

        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured after the retries");
        Assert.Equal(FakePaymentGateway.ProcessingErrorAttempts + 1, fixture.Gateway.AttemptsFor(orderId));
        Assert.Single(fixture.Bus.ReceivedFrom<PaymentCaptured>(messageId));
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Capture));
        Assert.Equal(75m, await fixture.Net(orderId));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_gateway_never_answers(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_record_a_pending_charge_and_publish_nothing()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 30m, TestTokens.Timeout);

        await Eventually.True(async () => await fixture.Count(orderId, PaymentRecordKind.Pending) == 1, "a pending record");
        await Consistently.True(() => fixture.Bus.Received<PaymentCaptured>(x => x.OrderId == orderId).Count == 0
            && fixture.Bus.Received<PaymentDeclined>(x => x.OrderId == orderId).Count == 0, "no reply");
        Assert.Empty(fixture.Bus.Received<PaymentCaptured>(x => x.OrderId == orderId));
        Assert.Empty(fixture.Bus.Received<PaymentDeclined>(x => x.OrderId == orderId));
    }

    [Fact]
    public async Task Should_void_the_pending_charge_when_refunded()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 30m, TestTokens.Timeout);
        await Eventually.True(async () => await fixture.Count(orderId, PaymentRecordKind.Pending) == 1, "a pending record");

        await fixture.Refund(orderId);

        var refunded = await fixture.Bus.WaitFor<PaymentRefunded>(x => x.OrderId == orderId, "PaymentRefunded");
        var pending = (await fixture.Payments(orderId)).Single(x => x.Kind == PaymentRecordKind.Pending);
        Assert.Equal(0m, refunded.Amount);
        Assert.Equal(pending.PaymentId, refunded.PaymentId);
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Void));
        Assert.Equal(0m, await fixture.Net(orderId));
    }
}
