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
        Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
    }

    [Fact]
    public async Task Should_not_charge_again_when_it_comes_back_after_the_inbox_forgot_it()
    {
        var orderId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        await fixture.Charge(orderId, 10m, messageId: messageId);
        var first = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");

        // Past the duplicate-detection window the inbox row is gone: the copy is consumed again.
        Assert.Equal(1, await fixture.Database.ExecuteAsync($"""DELETE FROM "InboxState" WHERE "MessageId" = '{messageId}'"""));
        await fixture.Charge(orderId, 10m, messageId: messageId);

        await fixture.Bus.WaitForCount<PaymentCaptured>(x => x.OrderId == orderId, 2, "the first outcome, again");
        Assert.All(fixture.Bus.Received<PaymentCaptured>(x => x.OrderId == orderId), x => Assert.Equal(first, x));
        Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
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
        Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Capture));
    }

    [Fact]
    public async Task Should_reply_the_same_decline()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 12m, "tok_chargeDeclined");
        var first = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "first PaymentDeclined");

        var retry = await fixture.Charge(orderId, 12m, "tok_visa");

        await Eventually.True(() => Task.FromResult(fixture.Bus.ReceivedFrom<PaymentDeclined>(retry).Count == 1), "reply to the retry");
        Assert.Equal(first, fixture.Bus.ReceivedFrom<PaymentDeclined>(retry).Single());
        Assert.Equal(0, await fixture.Count(orderId, PaymentRecordKind.Capture));
        Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
    }

    [Fact]
    public async Task Should_capture_once_when_the_copies_arrive_together()
    {
        var orderId = Guid.NewGuid();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => fixture.Charge(orderId, 33m)));

        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");
        await Consistently.True(() => fixture.Bus.Received<PaymentCaptured>(x => x.OrderId == orderId).Select(x => x.PaymentId).Distinct().Count() == 1,
            "one payment id in every reply");
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Capture));
        Assert.Equal(33m, await fixture.Net(orderId));
        Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_Payments_crashed_after_the_provider_captured(PaymentsFixture fixture)
{
    /// <summary>
    /// The intent was committed and the provider captured, but the answer never reached our ledger (a crash). The
    /// command comes again: the same idempotency key returns the first charge instead of a second one.
    /// </summary>
    [Fact]
    public async Task Should_record_the_providers_charge_instead_of_charging_twice()
    {
        var orderId = Guid.NewGuid();
        await fixture.Database.ExecuteAsync($"""
            INSERT INTO "Payments" ("OrderId", "Sequence", "Kind", "PaymentId", "Amount", "At", "PaymentToken")
            VALUES ('{orderId}', 1, 'ChargeRequested', NULL, 27.00, now(), 'tok_visa')
            """);
        var charge = await fixture.Provider.ChargeAsync(PaymentKeys.Charge(orderId, null), orderId, 27.00m);

        await fixture.Charge(orderId, 27.00m);

        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");
        Assert.Equal(charge.ChargeId, captured.PaymentId);
        Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal(1, await fixture.Count(orderId, PaymentRecordKind.Capture));
    }

    [Fact]
    public async Task Should_be_reconciled_without_any_command_arriving()
    {
        var orderId = Guid.NewGuid();
        await fixture.Database.ExecuteAsync($"""
            INSERT INTO "Payments" ("OrderId", "Sequence", "Kind", "PaymentId", "Amount", "At", "PaymentToken")
            VALUES ('{orderId}', 1, 'ChargeRequested', NULL, 31.00, now() - interval '1 minute', 'tok_visa')
            """);
        var charge = await fixture.Provider.ChargeAsync(PaymentKeys.Charge(orderId, null), orderId, 31.00m);

        // Only the reconciler's scan of unresolved intents can find this one.
        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured from the reconciler");
        Assert.Equal(charge.ChargeId, captured.PaymentId);
        Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_the_provider_restarts_in_the_middle_of_a_charge(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_charge_once_when_it_is_back()
    {
        var orderId = Guid.NewGuid();
        await fixture.Provider.StopAsync();
        try
        {
            await fixture.Charge(orderId, 58m);
            await Eventually.True(async () => await fixture.Count(orderId, PaymentRecordKind.ChargeRequested) == 1, "the intent committed");
            await Consistently.True(() => fixture.Bus.Received<PaymentCaptured>(x => x.OrderId == orderId).Count == 0,
                "no capture while the provider is down");
        }
        finally
        {
            await fixture.Provider.StartAgainAsync();
        }

        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured once the provider is back");
        var charge = Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal((charge.ChargeId, 58m), (await fixture.CapturedChargeId(orderId), captured.Amount));
    }
}
