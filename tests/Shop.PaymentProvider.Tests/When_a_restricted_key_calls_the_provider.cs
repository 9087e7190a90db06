using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Shop.PaymentProvider.Apis;
using Shop.Testing;

namespace Shop.PaymentProvider.Tests;

/// <summary>
/// A restricted key (<c>rk_…</c>, the operators' console's) reads charges and can move no money: every write is 403 with
/// nothing done, whatever the route.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class When_a_restricted_key_calls_the_provider(ProviderFixture fixture)
{
    [Fact]
    public async Task Should_read_the_charges_of_an_order()
    {
        var orderId = Guid.NewGuid();
        await ProviderHost.ReadOk<ChargeView>(await fixture.Provider.Charge(ProviderHost.NewKey(), orderId, 7.50m));
        using var http = ReadOnlyClient();

        var charges = await ProviderHost.ReadOk<ChargeView[]>(await http.GetAsync($"/charges?orderId={orderId}"));
        var charge = Assert.Single(charges);
        Assert.Equal(7.50m, charge.Amount);
        Assert.Equal(charge.ChargeId, (await ProviderHost.ReadOk<ChargeView>(await http.GetAsync($"/charges/{charge.ChargeId}"))).ChargeId);
    }

    [Fact]
    public async Task Should_create_no_charge()
    {
        var orderId = Guid.NewGuid();
        using var http = ReadOnlyClient();

        await AssertForbidden(await Send(http, "/charges", new { orderId, amount = 5.00m, paymentToken = "tok_visa" }));
        Assert.Empty(await fixture.Provider.ChargesByOrder(orderId));
    }

    [Fact]
    public async Task Should_neither_void_nor_refund()
    {
        var orderId = Guid.NewGuid();
        var charge = await ProviderHost.ReadOk<ChargeView>(await fixture.Provider.Charge(ProviderHost.NewKey(), orderId, 9.00m));
        using var http = ReadOnlyClient();

        await AssertForbidden(await Send(http, "/charges/voids", new { orderId }));
        await AssertForbidden(await Send(http, $"/charges/{charge.ChargeId}/refunds", new { amount = 9.00m }));

        var after = Assert.Single(await fixture.Provider.ChargesByOrder(orderId));
        Assert.Equal(charge.Status, after.Status);
        Assert.Equal(0m, after.AmountRefunded);
    }

    HttpClient ReadOnlyClient()
    {
        var http = new HttpClient { BaseAddress = fixture.Provider.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestPaymentProvider.ReadOnlyKey);
        return http;
    }

    static Task<HttpResponseMessage> Send(HttpClient http, string path, object body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add(PaymentProviderApi.IdempotencyKeyHeader, ProviderHost.NewKey());
        return http.SendAsync(request);
    }

    static Task AssertForbidden(HttpResponseMessage response) =>
        ProviderHost.ReadProblem(response, HttpStatusCode.Forbidden, ProblemCodes.ReadOnlyKey);
}
