using System.Net;
using Shop.PaymentProvider.Apis;
using static Shop.PaymentProvider.Tests.ProviderHost;

namespace Shop.PaymentProvider.Tests;

[Collection(ProviderCollection.Name)]
public sealed class When_a_charge_is_voided(ProviderFixture fixture)
{
    ProviderHost Provider => fixture.Provider;

    [Fact]
    public async Task Should_void_the_key_before_its_charge_so_that_the_charge_never_captures()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();

        var voided = await ReadOk<ChargeView>(await Provider.Void(key, orderId));
        var late = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 60m));

        Assert.Equal("voided", voided.Status);
        Assert.Equal(0m, voided.Amount);
        Assert.Equal(voided, late);
        Assert.Equal([voided], await Provider.ChargesByOrder(orderId));
        Assert.Equal(voided, await ReadOk<ChargeView>(await Provider.Void(key, orderId)));
    }

    [Fact]
    public async Task Should_refuse_to_void_a_captured_charge_naming_it()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();
        var charge = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 60m));

        var problem = await ReadProblem(await Provider.Void(key, orderId), HttpStatusCode.Conflict, ProblemCodes.ChargeAlreadyCaptured);

        Assert.Equal(charge.ChargeId, problem.GetProperty("chargeId").GetGuid());
        Assert.Equal("captured", (await Provider.ChargeById(charge.ChargeId)).Status);
    }

    [Fact]
    public async Task Should_answer_a_declined_charge_as_it_is()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();
        var declined = await ReadOk<ChargeView>(await Provider.Charge(key, orderId, 60m, "tok_chargeDeclined"));

        Assert.Equal(declined, await ReadOk<ChargeView>(await Provider.Void(key, orderId)));
    }

    [Fact]
    public async Task Should_leave_one_charge_when_a_void_races_its_charge()
    {
        var key = NewKey();
        var orderId = Guid.NewGuid();

        var charge = Provider.Charge(key, orderId, 70m);
        var @void = Provider.Void(key, orderId);
        var (charged, voided) = (await charge, await @void);

        var stored = Assert.Single(await Provider.ChargesByOrder(orderId));
        Assert.Equal(stored, await ReadOk<ChargeView>(charged));
        if (stored.Status == "captured")
            await ReadProblem(voided, HttpStatusCode.Conflict, ProblemCodes.ChargeAlreadyCaptured);
        else
            Assert.Equal(stored, await ReadOk<ChargeView>(voided));
    }
}
