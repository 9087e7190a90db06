using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Shop.PaymentProvider.Apis;
using Shop.ServiceDefaults;
using Shop.Testing;

namespace Shop.PaymentProvider.Tests;

/// <summary>
/// The simulator in the test process exactly as its Program.cs runs it (<see cref="TestPaymentProvider"/>: Kestrel on a
/// loopback port, a real PostgreSQL database), with the requests these tests make. Dispose and start another on the same
/// database to restart it.
/// </summary>
public sealed class ProviderHost : IAsyncDisposable
{
    /// <summary><c>Provider:SlowDelay</c> in tests: long enough to look a charge up before its answer, short enough to wait for.</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(1.5);

    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    readonly TestPaymentProvider _provider;

    ProviderHost(TestPaymentProvider provider) => _provider = provider;

    public HttpClient Http => _provider.Http;

    public static async Task<ProviderHost> StartAsync(TestDatabase database) =>
        new(await TestPaymentProvider.StartAsync(database, SlowDelay));

    public static string NewKey(string prefix = "test") => $"{prefix}:{Guid.NewGuid():N}";

    public Task<HttpResponseMessage> Charge(string key, Guid orderId, decimal amount, string token = "tok_visa",
        CancellationToken cancellationToken = default) =>
        Post("/charges", key, new { orderId, amount, paymentToken = token }, cancellationToken);

    public Task<HttpResponseMessage> Void(string key, Guid orderId) => Post("/charges/voids", key, new { orderId });

    public Task<HttpResponseMessage> Refund(Guid chargeId, string key, decimal amount) =>
        Post($"/charges/{chargeId}/refunds", key, new { amount });

    /// <summary>A POST with a raw JSON body (or none) and the key header (unless null), for the validation tests.</summary>
    public Task<HttpResponseMessage> PostRaw(string path, string? key, string? json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (key is not null)
            request.Headers.TryAddWithoutValidation(PaymentProviderApi.IdempotencyKeyHeader, key);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return Http.SendAsync(request);
    }

    public async Task<ChargeView[]> ChargesByKey(string key) =>
        (await Http.GetFromJsonAsync<ChargeView[]>($"/charges?idempotencyKey={Uri.EscapeDataString(key)}", Json))!;

    public async Task<ChargeView[]> ChargesByOrder(Guid orderId) =>
        (await Http.GetFromJsonAsync<ChargeView[]>($"/charges?orderId={orderId}", Json))!;

    public async Task<ChargeView> ChargeById(Guid chargeId) =>
        (await Http.GetFromJsonAsync<ChargeView>($"/charges/{chargeId}", Json))!;

    /// <summary>Asserts a 200 and reads the body.</summary>
    public static async Task<T> ReadOk<T>(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"Expected 200, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    /// <summary>Asserts a problem+json answer of <paramref name="status"/> and returns it.</summary>
    public static async Task<JsonElement> ReadProblem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.Clone();
    }

    /// <summary>Asserts a problem with <c>"code": code</c>.</summary>
    public static async Task<JsonElement> ReadProblem(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var problem = await ReadProblem(response, status);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        return problem;
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();

    Task<HttpResponseMessage> Post(string path, string key, object body, CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add(PaymentProviderApi.IdempotencyKeyHeader, key);
        return Http.SendAsync(request, cancellationToken);
    }

    static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceDefaultsExtensions.ConfigureJson(options);
        return options;
    }
}

/// <summary>One simulator on its own database, shared by the tests of the collection; every test uses its own keys and orders.</summary>
public sealed class ProviderFixture : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;
    public ProviderHost Provider { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("paymentprovider_test");
        Provider = await ProviderHost.StartAsync(Database);
    }

    public async Task DisposeAsync()
    {
        await Provider.DisposeAsync();
        await Database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ProviderCollection : ICollectionFixture<ProviderFixture>
{
    public const string Name = "PaymentProvider";
}
