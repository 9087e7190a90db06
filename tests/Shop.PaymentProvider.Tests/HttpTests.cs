using System.Net;
using System.Text.Json;
using Shop.PaymentProvider.Apis;
using static Shop.PaymentProvider.Tests.ProviderHost;

namespace Shop.PaymentProvider.Tests;

[Collection(ProviderCollection.Name)]
public sealed class When_a_request_is_invalid(ProviderFixture fixture)
{
    const string Order = "\"orderId\":\"6c1f3f56-3f1e-4b8e-9a39-3f8f1f0d2a11\"";
    const string ValidCharge = "{" + Order + ",\"amount\":10,\"paymentToken\":\"tok_visa\"}";
    const string Key = "test:valid-key";

    [Theory]
    [InlineData("/charges", null, ValidCharge, "Idempotency-Key")]
    [InlineData("/charges", "", ValidCharge, "Idempotency-Key")]
    [InlineData("/charges", "has space", ValidCharge, "Idempotency-Key")]
    [InlineData("/charges", "slash/and;semicolon", ValidCharge, "Idempotency-Key")]
    [InlineData("/charges", Key, "{\"amount\":10,\"paymentToken\":\"tok_visa\"}", "orderId")]
    [InlineData("/charges", Key, "{\"orderId\":\"not-a-guid\",\"amount\":10,\"paymentToken\":\"tok_visa\"}", "orderId")]
    [InlineData("/charges", Key, "{" + Order + ",\"paymentToken\":\"tok_visa\"}", "amount")]
    [InlineData("/charges", Key, "{" + Order + ",\"amount\":0,\"paymentToken\":\"tok_visa\"}", "amount")]
    [InlineData("/charges", Key, "{" + Order + ",\"amount\":-5,\"paymentToken\":\"tok_visa\"}", "amount")]
    [InlineData("/charges", Key, "{" + Order + ",\"amount\":1.005,\"paymentToken\":\"tok_visa\"}", "amount")]
    [InlineData("/charges", Key, "{" + Order + ",\"amount\":1e30,\"paymentToken\":\"tok_visa\"}", "amount")]
    [InlineData("/charges", Key, "{" + Order + ",\"amount\":true,\"paymentToken\":\"tok_visa\"}", "amount")]
    [InlineData("/charges", Key, "{" + Order + ",\"amount\":10}", "paymentToken")]
    [InlineData("/charges", Key, "{" + Order + ",\"amount\":10,\"paymentToken\":\"\"}", "paymentToken")]
    [InlineData("/charges", Key, "{" + Order + ",\"amount\":10,\"paymentToken\":\"tok_visa\",\"extra\":1}", "extra")]
    [InlineData("/charges", Key, "not json", "body")]
    [InlineData("/charges", Key, "null", "body")]
    [InlineData("/charges/voids", null, "{" + Order + "}", "Idempotency-Key")]
    [InlineData("/charges/voids", Key, "{}", "orderId")]
    [InlineData("/charges/6c1f3f56-3f1e-4b8e-9a39-3f8f1f0d2a11/refunds", null, "{\"amount\":5}", "Idempotency-Key")]
    [InlineData("/charges/6c1f3f56-3f1e-4b8e-9a39-3f8f1f0d2a11/refunds", Key, "{\"amount\":0}", "amount")]
    [InlineData("/charges/6c1f3f56-3f1e-4b8e-9a39-3f8f1f0d2a11/refunds", Key, "{\"amount\":2.999}", "amount")]
    [InlineData("/charges/not-a-guid/refunds", Key, "{\"amount\":5}", "chargeId")]
    public async Task Should_answer_400_naming_the_field_or_header(string path, string? key, string body, string field)
    {
        var response = await fixture.Provider.PostRaw(path, key, body);

        AssertNamed(await ReadProblem(response, HttpStatusCode.BadRequest), field);
    }

    [Fact]
    public async Task Should_answer_400_for_a_key_longer_than_100_characters()
    {
        var response = await fixture.Provider.PostRaw("/charges", new string('k', 101), ValidCharge);

        AssertNamed(await ReadProblem(response, HttpStatusCode.BadRequest), "Idempotency-Key");
    }

    [Fact]
    public async Task Should_answer_400_for_a_token_longer_than_100_characters()
    {
        var body = "{" + Order + ",\"amount\":10,\"paymentToken\":\"" + new string('t', 101) + "\"}";

        AssertNamed(await ReadProblem(await fixture.Provider.PostRaw("/charges", Key, body), HttpStatusCode.BadRequest), "paymentToken");
    }

    [Theory]
    [InlineData("/charges", "idempotencyKey")]
    [InlineData("/charges?idempotencyKey=a&orderId=6c1f3f56-3f1e-4b8e-9a39-3f8f1f0d2a11", "orderId")]
    [InlineData("/charges?orderId=not-a-guid", "orderId")]
    [InlineData("/charges?idempotencyKey=", "idempotencyKey")]
    [InlineData("/charges?idempotencyKey=bad%20key", "idempotencyKey")]
    [InlineData("/charges/not-a-guid", "chargeId")]
    public async Task Should_answer_400_for_a_malformed_lookup(string url, string field) =>
        AssertNamed(await ReadProblem(await fixture.Provider.Http.GetAsync(url), HttpStatusCode.BadRequest), field);

    [Fact]
    public async Task Should_answer_415_for_a_body_that_is_not_json()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/charges") { Content = new StringContent(ValidCharge) };
        request.Headers.Add("Idempotency-Key", Key);

        await ReadProblem(await fixture.Provider.Http.SendAsync(request), HttpStatusCode.UnsupportedMediaType);
    }

    static void AssertNamed(JsonElement problem, string field)
    {
        var names = problem.GetProperty("errors").EnumerateObject().Select(x => x.Name).ToList();
        Assert.Contains(field, names);
    }
}

[Collection(ProviderCollection.Name)]
public sealed class When_charges_are_looked_up(ProviderFixture fixture)
{
    ProviderHost Provider => fixture.Provider;

    [Fact]
    public async Task Should_list_the_charges_of_an_order_oldest_first()
    {
        var orderId = Guid.NewGuid();
        var first = await ReadOk<ChargeView>(await Provider.Charge(NewKey(), orderId, 10m, "tok_chargeDeclined"));
        var second = await ReadOk<ChargeView>(await Provider.Charge(NewKey(), orderId, 10m));

        Assert.Equal([first, second], await Provider.ChargesByOrder(orderId));
    }

    [Fact]
    public async Task Should_answer_empty_lists_and_404_for_what_does_not_exist()
    {
        Assert.Empty(await Provider.ChargesByOrder(Guid.NewGuid()));
        Assert.Empty(await Provider.ChargesByKey(NewKey()));
        await ReadProblem(await Provider.Http.GetAsync($"/charges/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "charge_not_found");
    }

    [Fact]
    public async Task Should_write_charges_in_camel_case_with_the_status_by_wire_name()
    {
        var key = NewKey();
        var charge = await ReadOk<ChargeView>(await Provider.Charge(key, Guid.NewGuid(), 7.5m));

        var json = await Provider.Http.GetStringAsync($"/charges/{charge.ChargeId}");

        Assert.Contains($"\"chargeId\":\"{charge.ChargeId}\"", json);
        Assert.Contains($"\"idempotencyKey\":\"{key}\"", json);
        Assert.Contains("\"status\":\"captured\"", json);
        Assert.Contains("\"declineCode\":null", json);
        Assert.Contains("\"amountRefunded\":0", json);
    }
}
