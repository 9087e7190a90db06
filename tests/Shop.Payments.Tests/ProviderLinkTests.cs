using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Payments.Domain;
using Shop.Payments.Settlement;
using Shop.Testing;
using TestTokens = Shop.PaymentProvider.Domain.TestTokens;

namespace Shop.Payments.Tests;

/// <summary>
/// A 4xx on a charge is not "nothing happened": the key is looked up and voided before a decline is recorded, and a
/// capture an earlier attempt made under it is recorded as the capture, so a compensation refunds it.
/// </summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_the_provider_refuses_a_charge(PaymentsFixture fixture)
{
    [Theory]
    [InlineData(TestTokens.CapturedThenConflict)]
    [InlineData(TestTokens.CapturedThenUnauthorized)]
    public async Task Should_record_the_capture_it_holds_and_refund_it_on_compensation(string token)
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 12.00m, token);

        var captured = await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured of the held capture");
        Assert.Empty(fixture.Bus.Received<PaymentDeclined>(x => x.OrderId == orderId));
        var charge = Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal(("captured", 12.00m), (charge.Status, charge.Amount));
        Assert.Equal(charge.ChargeId, await fixture.CapturedChargeId(orderId));

        await fixture.Refund(orderId);
        var refunded = await fixture.Bus.WaitFor<PaymentRefunded>(x => x.OrderId == orderId, "PaymentRefunded");

        Assert.Equal((captured.PaymentId, 12.00m), (refunded.PaymentId, refunded.Amount));
        Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
        Assert.Equal(0m, await fixture.Net(orderId));
    }

    [Fact]
    public async Task Should_void_the_key_and_decline_when_the_provider_holds_nothing()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 12.00m, TestTokens.GatewayRejected);

        var declined = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "PaymentDeclined");
        Assert.Equal(DeclineCodes.RejectedByProvider, declined.Reason);
        // The key is voided for good: a same-key request still on its way can never capture.
        var voided = Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal(("voided", 0m), (voided.Status, voided.Amount));
        var late = await fixture.Provider.ChargeAsync(voided.IdempotencyKey, orderId, 12.00m);
        Assert.Equal("voided", late.Status);
        Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
    }
}

/// <summary>Whoever knows an order id (the customer, a log reader) cannot derive its keys at the provider.</summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_someone_knows_the_order_id(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_not_be_able_to_void_the_charge_in_advance()
    {
        var orderId = Guid.NewGuid();
        // What the old, derivable key allowed: void the victim's charge before it is made.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "charges/voids"))
        {
            request.Content = new StringContent($$"""{"orderId":"{{orderId}}"}""", System.Text.Encoding.UTF8, "application/json");
            request.Headers.Add("Idempotency-Key", PaymentKeys.Charge(orderId, null));
            (await fixture.Provider.Http.SendAsync(request)).EnsureSuccessStatusCode();
        }

        await fixture.Charge(orderId, 21.00m);

        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured despite the void");
        var charges = await fixture.Provider.ChargesOfAsync(orderId);
        Assert.Equal(21.00m, await fixture.Provider.NetAsync(orderId));
        Assert.Contains(charges, x => x.Status == "captured" && x.IdempotencyKey != PaymentKeys.Charge(orderId, null));
    }

    [Fact]
    public async Task Should_use_keys_with_a_random_part_stored_with_the_intent()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 8.00m);
        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");

        var nonce = await fixture.KeyNonce(orderId);
        Assert.Matches("^[0-9a-f]{32}$", nonce);
        var charge = Assert.Single(await fixture.Provider.ChargesOfAsync(orderId));
        Assert.Equal(PaymentKeys.Charge(orderId, nonce), charge.IdempotencyKey);
        Assert.Contains(nonce!, charge.IdempotencyKey, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_give_two_intents_of_one_order_id_different_keys()
    {
        var orderId = Guid.NewGuid();
        var first = new PaymentLedger(orderId, []);
        var second = new PaymentLedger(orderId, []);
        first.AppendChargeRequest(5m, DateTimeOffset.UtcNow, "pt1.sealed");
        second.AppendChargeRequest(5m, DateTimeOffset.UtcNow, "pt1.sealed");

        Assert.NotEqual(first.ChargeKey, second.ChargeKey);
        Assert.NotEqual(first.RefundKey, second.RefundKey);
        Assert.NotEqual(first.ShopPaymentId, second.ShopPaymentId);
        Assert.DoesNotContain(first.ChargeKey, new[] { PaymentKeys.Charge(orderId, null), second.ChargeKey });
    }
}

/// <summary>The token stays sealed everywhere Payments keeps or writes anything: ledger, outbox/redelivery rows, logs.</summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_a_payment_token_arrives(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_keep_it_sealed_until_the_charge_is_decided()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 9.00m, TestTokens.Slow);

        await Eventually.True(async () => await fixture.Count(orderId, PaymentRecordKind.ChargeRequested) == 1, "the intent committed");
        var stored = await fixture.StoredToken(orderId);
        Assert.StartsWith("pt1.", stored);
        Assert.DoesNotContain(TestTokens.Slow, stored, StringComparison.Ordinal);
        Assert.Equal(TestTokens.Slow, TestPaymentTokenKeys.Open(stored!, orderId));

        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");
        Assert.Null(await fixture.StoredToken(orderId));
    }

    [Fact]
    public async Task Should_seal_a_token_that_arrives_in_clear()
    {
        var orderId = Guid.NewGuid();
        // A ChargePayment from before sealing, still draining.
        await fixture.Bus.Send("charge-payment", new ChargePayment(orderId, "customer-1", 9.00m, TestTokens.Slow));

        await Eventually.True(async () => await fixture.Count(orderId, PaymentRecordKind.ChargeRequested) == 1, "the intent committed");
        var stored = await fixture.StoredToken(orderId);
        Assert.StartsWith("pt1.", stored);
        Assert.Equal(TestTokens.Slow, TestPaymentTokenKeys.Open(stored!, orderId));
        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");
    }

    [Fact]
    public async Task Should_decline_a_token_sealed_for_another_order()
    {
        var orderId = Guid.NewGuid();
        // A sealed token copied from another order's message: it opens for that order only.
        await fixture.Bus.Send("charge-payment", new ChargePayment(orderId, "customer-1", 9.00m, TestPaymentTokenKeys.Seal("tok_visa", Guid.NewGuid())));

        var declined = await fixture.Bus.WaitFor<PaymentDeclined>(x => x.OrderId == orderId, "PaymentDeclined");
        Assert.Equal(DeclineCodes.UnreadableToken, declined.Reason);
        Assert.Equal(0m, await fixture.Provider.NetAsync(orderId));
    }

    [Fact]
    public async Task Should_write_it_to_no_log_row_or_message()
    {
        var (sealedOrder, clearOrder) = (Guid.NewGuid(), Guid.NewGuid());
        var (sealedToken, clearToken) = ($"tok_secret_{Guid.NewGuid():N}", $"tok_clear_{Guid.NewGuid():N}");
        await fixture.Charge(sealedOrder, 4.00m, sealedToken);
        await fixture.Bus.Send("charge-payment", new ChargePayment(clearOrder, "customer-1", 4.00m, clearToken));
        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == sealedOrder, "PaymentCaptured");
        await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == clearOrder, "PaymentCaptured");

        var log = await fixture.LogText();
        Assert.Contains(sealedOrder.ToString(), log, StringComparison.Ordinal);
        foreach (var token in new[] { sealedToken, clearToken })
        {
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
            Assert.Equal(0L, await fixture.Database.ScalarAsync<long>(
                $"""SELECT count(*) FROM "Payments" WHERE "PaymentToken" LIKE '%{token}%'"""));
            Assert.Equal(0L, await fixture.Database.ScalarAsync<long>(
                $"""SELECT count(*) FROM "OutboxMessage" WHERE "Body" LIKE '%{token}%' OR "Headers" LIKE '%{token}%'"""));
        }
    }
}

/// <summary>The settlement queue is bounded and holds each order once, however often the reconciler asks again.</summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_the_provider_is_slow(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_not_grow_the_settlement_queue()
    {
        var settlements = fixture.Service.Services.GetRequiredService<SettlementService>();
        var orders = Enumerable.Range(0, 24).Select(_ => Guid.NewGuid()).ToList();
        var most = 0;
        await fixture.Provider.StopAsync();
        try
        {
            foreach (var orderId in orders)
                await fixture.Charge(orderId, 3.00m);
            await Eventually.True(async () => (await Task.WhenAll(orders.Select(x => fixture.Count(x, PaymentRecordKind.ChargeRequested)))).Sum() == orders.Count,
                "every intent committed");

            // The reconciler offers the unresolved orders every 250 ms for 4 s while no settlement can finish.
            for (var deadline = DateTime.UtcNow.AddSeconds(4); DateTime.UtcNow < deadline; await Task.Delay(50))
                most = Math.Max(most, settlements.Queued);
        }
        finally
        {
            await fixture.Provider.StartAgainAsync();
        }

        Assert.InRange(most, 0, orders.Count);
        foreach (var orderId in orders)
            await fixture.Bus.WaitFor<PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured once the provider is back");
    }

    [Fact]
    public void Should_hold_each_order_once_and_no_more_than_its_capacity()
    {
        var queue = new SettlementQueue(capacity: 8);
        var first = Guid.NewGuid();

        for (var i = 0; i < 100; i++)
            queue.TryEnqueueRetry(first);
        Assert.Equal(1, queue.Count);

        var retries = Enumerable.Range(0, 10).Count(_ => queue.TryEnqueueRetry(Guid.NewGuid()));
        Assert.Equal(3, retries);
        Assert.Equal(4, queue.Count);

        var fresh = Guid.NewGuid();
        Assert.True(queue.TryEnqueueFresh(fresh, default));
        Assert.False(queue.TryEnqueueFresh(fresh, default));
        var more = Enumerable.Range(0, 10).Count(_ => queue.TryEnqueueFresh(Guid.NewGuid(), default));
        Assert.Equal(3, more);
        Assert.Equal(8, queue.Count);
    }

    [Fact]
    public async Task Should_settle_fresh_intents_before_the_reconcilers()
    {
        var queue = new SettlementQueue(capacity: 8);
        var (retry, fresh) = (Guid.NewGuid(), Guid.NewGuid());
        queue.TryEnqueueRetry(retry);
        queue.TryEnqueueFresh(fresh, default);

        Assert.Equal(fresh, (await queue.DequeueAsync(CancellationToken.None)).OrderId);
        Assert.Equal(retry, (await queue.DequeueAsync(CancellationToken.None)).OrderId);
        Assert.Equal(0, queue.Count);
    }
}

/// <summary>Payments will not talk to the provider without its key, nor in clear across a network.</summary>
[Collection(PaymentsCollection.Name)]
public sealed class When_payments_starts(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_refuse_plain_http_to_a_provider_off_loopback()
    {
        var settings = fixture.Provider.PaymentsSettings;
        settings["PaymentProvider:BaseUrl"] = "http://payment-provider.invalid:8085/";

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            InProcessService.StartAsync("Payments", fixture.Database, fixture.VirtualHost, PaymentsApp.Build, settings));

        Assert.Contains("must be https", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_refuse_to_start_without_the_providers_key()
    {
        var settings = fixture.Provider.PaymentsSettings;
        settings["PaymentProvider:ApiKey"] = null;

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            InProcessService.StartAsync("Payments", fixture.Database, fixture.VirtualHost, PaymentsApp.Build, settings));

        Assert.Contains("PaymentProvider:ApiKey", failure.ToString(), StringComparison.Ordinal);
    }
}
