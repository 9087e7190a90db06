using System.Net;
using Shop.PaymentProvider.Apis;
using Shop.Testing;
using static Shop.PaymentProvider.Tests.ProviderHost;

namespace Shop.PaymentProvider.Tests;

[Collection(ProviderCollection.Name)]
public sealed class When_a_charge_is_sent_again_with_its_key(ProviderFixture fixture)
{
    ProviderHost Provider => fixture.Provider;

    [Fact]
    public async Task Should_answer_the_first_charge_and_store_no_second()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();

        var first = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 25.50m));
        var second = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 25.50m));

        Assert.Equal("captured", first.Status);
        Assert.Equal(first, second);
        Assert.Equal([first.ChargeId], (await Provider.ChargesByOrder(orderId)).Select(x => x.ChargeId));
    }

    [Fact]
    public async Task Should_store_one_charge_for_concurrent_requests()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Provider.Charge(key, orderId, 40m)));
        var charges = await Task.WhenAll(responses.Select(ReadOk<ChargeView>));

        Assert.Single(charges.Select(x => x.ChargeId).Distinct());
        Assert.Single(await Provider.ChargesByOrder(orderId));
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"""SELECT COUNT(*) FROM "Charges" WHERE "IdempotencyKey" = '{key}'"""));
    }

    [Fact]
    public async Task Should_treat_keys_that_differ_in_case_as_two_keys()
    {
        var key = NewKey("Case");
        var orderId = Guid.NewGuid();

        var upper = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 10m));
        var lower = await ReadOk<ChargeView>(await Provider.Charge(key.ToLowerInvariant(), orderId, 20m));

        Assert.NotEqual(upper.ChargeId, lower.ChargeId);
        Assert.Equal(2, (await Provider.ChargesByOrder(orderId)).Length);
    }

    [Fact]
    public async Task Should_answer_409_when_the_key_is_reused_with_another_amount_or_order()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();
        var first = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 10m));

        await ReadProblem(await Provider.Charge(key, orderId, 11m), HttpStatusCode.Conflict, ProblemCodes.IdempotencyKeyReused);
        await ReadProblem(await Provider.Charge(key, Guid.NewGuid(), 10m), HttpStatusCode.Conflict, ProblemCodes.IdempotencyKeyReused);

        Assert.Equal([first], await Provider.ChargesByKey(key));
    }
}

[Collection(ProviderCollection.Name)]
public sealed class When_a_test_token_scripts_the_outcome(ProviderFixture fixture)
{
    ProviderHost Provider => fixture.Provider;

    [Fact]
    public async Task Should_capture_tok_visa()
    {
        var charge = await ReadOk<ChargeView>(await Provider.Charge(NewKey(), Guid.NewGuid(), 12.34m, "tok_visa"));

        Assert.Equal("captured", charge.Status);
        Assert.Equal(12.34m, charge.Amount);
        Assert.Equal(0m, charge.AmountRefunded);
        Assert.Null(charge.DeclineCode);
    }

    [Fact]
    public async Task Should_decline_tok_chargeDeclined_as_card_declined()
    {
        var charge = await ReadOk<ChargeView>(await Provider.Charge(NewKey(), Guid.NewGuid(), 20m, "tok_chargeDeclined"));

        Assert.Equal("declined", charge.Status);
        Assert.Equal("card_declined", charge.DeclineCode);
    }

    [Theory]
    [InlineData("10000.00", "captured", null)]
    [InlineData("10000.01", "declined", "amount_too_large")]
    public async Task Should_decline_amounts_above_the_limit(string amount, string status, string? declineCode)
    {
        var charge = await ReadOk<ChargeView>(await Provider.Charge(NewKey(), Guid.NewGuid(), decimal.Parse(amount)));

        Assert.Equal(status, charge.Status);
        Assert.Equal(declineCode, charge.DeclineCode);
    }

    [Fact]
    public async Task Should_fail_tok_processingError_twice_then_capture_once()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            await ReadProblem(await Provider.Charge(key, orderId, 30m, "tok_processingError"), HttpStatusCode.ServiceUnavailable,
                ProblemCodes.ProcessingError);
            Assert.Empty(await Provider.ChargesByKey(key));
        }

        var third = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 30m, "tok_processingError"));
        var fourth = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 30m, "tok_processingError"));

        Assert.Equal("captured", third.Status);
        Assert.Equal(third, fourth);
        Assert.Single(await Provider.ChargesByOrder(orderId));
        Assert.Equal(3, await fixture.Database.ScalarAsync<int>($"""SELECT "Attempts" FROM "ChargeAttempts" WHERE "IdempotencyKey" = '{key}'"""));
    }

    [Fact]
    public async Task Should_count_every_concurrent_tok_processingError_attempt_once()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Provider.Charge(key, orderId, 30m, "tok_processingError")));

        // A lost increment (two attempts both counted as the first) would fail a third request too.
        Assert.Equal(2, responses.Count(x => x.StatusCode == HttpStatusCode.ServiceUnavailable));
        var charges = await Task.WhenAll(responses.Where(x => x.StatusCode != HttpStatusCode.ServiceUnavailable).Select(ReadOk<ChargeView>));
        Assert.Single(charges.Select(x => x.ChargeId).Distinct());
        // Attempts that found the charge already stored are replays, not counted: how many did depends on timing.
        Assert.InRange(await fixture.Database.ScalarAsync<int>($"""SELECT "Attempts" FROM "ChargeAttempts" WHERE "IdempotencyKey" = '{key}'"""), 3, 6);
    }
}

[Collection(ProviderCollection.Name)]
public sealed class When_the_provider_answers_slowly(ProviderFixture fixture)
{
    ProviderHost Provider => fixture.Provider;

    [Fact]
    public async Task Should_store_the_charge_before_it_answers_after_the_delay()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();
        var sent = DateTime.UtcNow;

        var answer = Provider.Charge(key, orderId, 15m, "tok_slow");
        var stored = await Eventually.Value(async () => (await Provider.ChargesByKey(key)).SingleOrDefault(), "the slow charge stored");
        Assert.False(answer.IsCompleted, "the slow charge answered before it could be looked up");

        var charge = await ReadOk<ChargeView>(await answer);
        Assert.True(DateTime.UtcNow - sent >= SlowDelay, "the slow charge answered before its delay");
        Assert.Equal("captured", charge.Status);
        Assert.Equal(stored, charge);
    }

    [Fact]
    public async Task Should_answer_a_replay_slowly_too()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();
        var first = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 15m, "tok_slow"));

        var sent = DateTime.UtcNow;
        var replay = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 15m, "tok_slow"));

        Assert.True(DateTime.UtcNow - sent >= SlowDelay, "the replay answered before the delay");
        Assert.Equal(first, replay);
    }
}

[Collection(ProviderCollection.Name)]
public sealed class When_the_provider_never_answers(ProviderFixture fixture)
{
    ProviderHost Provider => fixture.Provider;

    [Fact]
    public async Task Should_store_the_charge_as_captured_and_reveal_it_only_to_lookups()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();
        using var giveUp = new CancellationTokenSource();

        var answer = Provider.Charge(key, orderId, 18m, "tok_timeout", giveUp.Token);
        var stored = await Eventually.Value(async () => (await Provider.ChargesByKey(key)).SingleOrDefault(), "the charge stored");
        var replay = Provider.Charge(key, orderId, 18m, "tok_timeout", giveUp.Token);

        await Consistently.True(() => !answer.IsCompleted && !replay.IsCompleted, "neither the charge nor its replay is answered",
            TimeSpan.FromSeconds(2));
        Assert.Equal("captured", stored.Status);
        Assert.Equal(stored, await Provider.ChargeById(stored.ChargeId));
        Assert.Equal([stored], await Provider.ChargesByOrder(orderId));

        giveUp.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answer);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => replay);
    }
}
