using System.Net;
using Shop.PaymentProvider.Apis;
using static Shop.PaymentProvider.Tests.ProviderHost;

namespace Shop.PaymentProvider.Tests;

[Collection(ProviderCollection.Name)]
public sealed class When_a_charge_is_refunded(ProviderFixture fixture)
{
    ProviderHost Provider => fixture.Provider;

    async Task<ChargeView> Captured(decimal amount) => await ReadOk<ChargeView>(await Provider.Charge(NewKey(), Guid.NewGuid(), amount));

    [Fact]
    public async Task Should_answer_the_first_refund_again_for_its_key()
    {
        var charge = await Captured(50m);
        var key = NewKey("refund");

        var first = await ReadOk<RefundView>(await Provider.Refund(charge.ChargeId, key, 20m));
        var again = await ReadOk<RefundView>(await Provider.Refund(charge.ChargeId, key, 20m));

        Assert.Equal(first, again);
        Assert.Equal(charge.ChargeId, first.ChargeId);
        Assert.Equal(20m, first.Amount);
        Assert.Equal(20m, (await Provider.ChargeById(charge.ChargeId)).AmountRefunded);
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"""SELECT COUNT(*) FROM "Refunds" WHERE "ChargeId" = '{charge.ChargeId}'"""));
    }

    [Fact]
    public async Task Should_answer_409_when_the_refund_key_is_reused_for_another_amount_or_charge()
    {
        var charge = await Captured(50m);
        var other = await Captured(50m);
        var key = NewKey("refund");
        await ReadOk<RefundView>(await Provider.Refund(charge.ChargeId, key, 20m));

        await ReadProblem(await Provider.Refund(charge.ChargeId, key, 21m), HttpStatusCode.Conflict, ProblemCodes.IdempotencyKeyReused);
        await ReadProblem(await Provider.Refund(other.ChargeId, key, 20m), HttpStatusCode.Conflict, ProblemCodes.IdempotencyKeyReused);

        Assert.Equal(20m, (await Provider.ChargeById(charge.ChargeId)).AmountRefunded);
        Assert.Equal(0m, (await Provider.ChargeById(other.ChargeId)).AmountRefunded);
    }

    [Fact]
    public async Task Should_never_refund_more_than_was_captured()
    {
        var charge = await Captured(50m);

        await ReadOk<RefundView>(await Provider.Refund(charge.ChargeId, NewKey("refund"), 30m));
        var problem = await ReadProblem(await Provider.Refund(charge.ChargeId, NewKey("refund"), 30m), HttpStatusCode.Conflict,
            ProblemCodes.AmountExceedsCaptured);
        await ReadOk<RefundView>(await Provider.Refund(charge.ChargeId, NewKey("refund"), 20m));
        await ReadProblem(await Provider.Refund(charge.ChargeId, NewKey("refund"), 0.01m), HttpStatusCode.Conflict, ProblemCodes.AmountExceedsCaptured);

        Assert.Equal(20m, problem.GetProperty("amountRefundable").GetDecimal());
        Assert.Equal(50m, (await Provider.ChargeById(charge.ChargeId)).AmountRefunded);
    }

    [Fact]
    public async Task Should_let_exactly_one_of_concurrent_full_refunds_succeed()
    {
        var charge = await Captured(80m);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Provider.Refund(charge.ChargeId, NewKey("refund"), 80m)));

        Assert.Single(responses, x => x.StatusCode == HttpStatusCode.OK);
        foreach (var refused in responses.Where(x => x.StatusCode != HttpStatusCode.OK))
            await ReadProblem(refused, HttpStatusCode.Conflict, ProblemCodes.AmountExceedsCaptured);
        Assert.Equal(80m, (await Provider.ChargeById(charge.ChargeId)).AmountRefunded);
        Assert.Equal(80m, await fixture.Database.ScalarAsync<decimal>($"""SELECT SUM("Amount") FROM "Refunds" WHERE "ChargeId" = '{charge.ChargeId}'"""));
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_charge() =>
        await ReadProblem(await Provider.Refund(Guid.NewGuid(), NewKey("refund"), 5m), HttpStatusCode.NotFound, ProblemCodes.ChargeNotFound);

    [Theory]
    [InlineData("tok_chargeDeclined", false)]
    [InlineData("tok_visa", true)]
    public async Task Should_answer_409_for_a_charge_that_is_not_captured(string token, bool voidFirst)
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();
        if (voidFirst)
            await ReadOk<ChargeView>(await Provider.Void(key, orderId));
        var charge = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 40m, token));

        await ReadProblem(await Provider.Refund(charge.ChargeId, NewKey("refund"), 5m), HttpStatusCode.Conflict, ProblemCodes.ChargeNotCaptured);
    }
}
