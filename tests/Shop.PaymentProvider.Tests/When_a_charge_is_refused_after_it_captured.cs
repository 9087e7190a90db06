using System.Net;
using Shop.PaymentProvider.Apis;
using Shop.PaymentProvider.Domain;

namespace Shop.PaymentProvider.Tests;

/// <summary>
/// The scripted refusals a client must not take for "nothing happened": a 409 for a racing same-key request and a 401
/// from a gateway, each while the charge under the key is captured; and a 403 with nothing behind it.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class When_a_charge_is_refused_after_it_captured(ProviderFixture fixture)
{
    [Theory]
    [InlineData(TestTokens.CapturedThenConflict, HttpStatusCode.Conflict, ProblemCodes.RequestInProgress)]
    [InlineData(TestTokens.CapturedThenUnauthorized, HttpStatusCode.Unauthorized, ProblemCodes.GatewayUnauthorized)]
    public async Task Should_hold_the_capture_that_the_lookup_reveals(string token, HttpStatusCode status, string code)
    {
        var (key, orderId) = (ProviderHost.NewKey(), Guid.NewGuid());

        await ProviderHost.ReadProblem(await fixture.Provider.Charge(key, orderId, 12.00m, token), status, code);
        await ProviderHost.ReadProblem(await fixture.Provider.Charge(key, orderId, 12.00m, token), status, code);

        var charge = Assert.Single(await fixture.Provider.ChargesByKey(key));
        Assert.Equal(("captured", 12.00m), (charge.Status, charge.Amount));
        await ProviderHost.ReadProblem(await fixture.Provider.Void(key, orderId), HttpStatusCode.Conflict, ProblemCodes.ChargeAlreadyCaptured);
    }

    [Fact]
    public async Task Should_store_nothing_when_the_gateway_rejects_it()
    {
        var (key, orderId) = (ProviderHost.NewKey(), Guid.NewGuid());

        await ProviderHost.ReadProblem(await fixture.Provider.Charge(key, orderId, 12.00m, TestTokens.GatewayRejected), HttpStatusCode.Forbidden,
            ProblemCodes.GatewayRejected);

        Assert.Empty(await fixture.Provider.ChargesByKey(key));
    }
}
