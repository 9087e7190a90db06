using Shop.Contracts;
using Shop.Payments.Domain;
using Shop.Testing;

namespace Shop.Payments.Tests;

[Collection(PaymentsCollection.Name)]
public sealed class When_the_card_is_good(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_capture_it_once_at_the_provider_and_publish_PaymentCaptured()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 49.90m, "tok_visa");

        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");
        Assert.Equal(49.90m, captured.Amount);

        var charge = Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal(("captured", 49.90m, PaymentKeys.Charge(orderId, await fixture.KeyNonce(orderId))),
            (charge.Status, charge.Amount, charge.IdempotencyKey));

        var records = await fixture.Payments(orderId);
        Assert.Equal([PaymentRecordKind.ChargeRequested, PaymentRecordKind.Capture], records.Select(x => x.Kind));
        var capture = records.Single(x => x.Kind == PaymentRecordKind.Capture);
        // The ledger keeps the provider's charge id; the event (and so the saga and the customer) gets the shop's own.
        Assert.Equal((charge.ChargeId, 49.90m, captured.CapturedAt), (capture.PaymentId!.Value, capture.Amount, capture.At));
        Assert.Equal(records.Single(x => x.Kind == PaymentRecordKind.ChargeRequested).ShopPaymentId, captured.PaymentId);
        Assert.NotEqual(charge.ChargeId, captured.PaymentId);
    }

    [Fact]
    public async Task Should_not_keep_the_payment_token_once_the_charge_is_decided()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 10m, "tok_visa");
        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");

        Assert.Null(await fixture.StoredToken(orderId));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_card_is_declined(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_publish_PaymentDeclined_with_the_providers_code()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 20m, "tok_chargeDeclined");

        var declined = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "PaymentDeclined");
        Assert.Equal("card_declined", declined.Reason);

        var decline = Assert.Single(await fixture.Payments(orderId), x => x.Kind == PaymentRecordKind.Decline);
        Assert.Equal("card_declined", decline.Reason);
        Assert.Equal(0m, await fixture.Net(orderId));
        Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
        Assert.Null(await fixture.StoredToken(orderId));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_amount_is_over_the_limit(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_decline_it()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 10_000.01m);

        var declined = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "PaymentDeclined");
        Assert.Equal("amount_too_large", declined.Reason);
        Assert.Equal(0, await fixture.Count(orderId, PaymentRecordKind.Capture));
        Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
    }

    [Fact]
    public async Task Should_capture_exactly_the_limit()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 10_000.00m);

        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");
        Assert.Equal(10_000.00m, captured.Amount);
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_provider_has_a_processing_error(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_retry_with_the_same_key_and_capture_exactly_once()
    {
        var orderId = Guid.NewGuid();
        var messageId = await fixture.Charge(orderId, 75m, "tok_processingError");

        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured after the retries");
        Assert.Single(fixture.Bus.Received<PaymentCaptured>(x => x.OrderId == orderId));
        Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Capture));
        Assert.Equal(75m, await fixture.Net(orderId));
        Assert.Equal(75m, await fixture.Provider.NetAsync(orderId));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_providers_answer_is_lost(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_find_the_capture_by_its_key_and_publish_it()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 30m, "tok_timeout");

        // The provider captured and never answered; the attempt timed out and the lookup by key found the charge.
        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured, reconciled");
        var charge = Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal((charge.ChargeId, 30m), (await fixture.CapturedChargeId(orderId), captured.Amount));
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Capture));
        Assert.Equal(30m, await fixture.Net(orderId));
    }

    [Fact]
    public async Task Should_refund_it_at_the_provider_when_the_order_is_compensated_meanwhile()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 30m, "tok_timeout");
        await Eventually.True(async () => (await fixture.Provider.ChargesOfAsync(orderId)).Length == 1, "the charge at the provider");

        // The saga's payment timeout: the compensation arrives while Payments still waits for the lost answer.
        await fixture.Refund(orderId);

        var refunded = await fixture.Bus.WaitFor<PaymentRefunded>(x => x.OrderId == orderId, "PaymentRefunded");
        Assert.Equal(30m, refunded.Amount);
        Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
        Assert.Equal(0m, await fixture.Net(orderId));
        Assert.Equal(30m, Assert.Single(await fixture.Provider.ChargesOfAsync(orderId)).AmountRefunded);
    }
}
