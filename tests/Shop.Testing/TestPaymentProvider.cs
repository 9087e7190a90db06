using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using Shop.PaymentProvider;

namespace Shop.Testing;

/// <summary>
/// The payment-provider simulator ("the outside world") hosted in-process over real HTTP, on its own PostgreSQL
/// database and at a fixed loopback address, so that it can be stopped and started again the way a restart would.
/// </summary>
public sealed class TestPaymentProvider : IAsyncDisposable
{
    /// <summary>How late the simulator answers <c>tok_slow</c> here.</summary>
    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(2);

    readonly TestDatabase _database;
    readonly bool _ownsDatabase;
    readonly TimeSpan _slowDelay;
    InProcessService? _service;

    TestPaymentProvider(TestDatabase database, bool ownsDatabase, Uri address, TimeSpan slowDelay)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
        _slowDelay = slowDelay;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
    }

    /// <summary>The shop's secret key at this provider (merchant <c>shop</c>), generated per test process; <see cref="Http"/> sends it.</summary>
    public static string ApiKey { get; } = $"sk_test_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";

    /// <summary>A restricted key of merchant <c>console</c>: it may read charges, never create, void or refund one.</summary>
    public static string ReadOnlyKey { get; } = $"rk_test_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24))}";

    /// <summary><see cref="ApiKey"/> in a file of its own (for tools that read the key from a file), written once per test process.</summary>
    public static string ApiKeyFile => KeyFile.Value;

    static readonly Lazy<string> KeyFile = new(() =>
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("shop-test-provider-").FullName, "payment-provider.key");
        File.WriteAllText(path, ApiKey + "\n");
        return path;
    });

    public Uri Address { get; }

    /// <summary>A client of the provider's API that outlives restarts.</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// Configuration that points Payments at this provider: attempts time out after 3 s (longer than the slow answer,
    /// so <c>tok_slow</c> is answered and <c>tok_timeout</c> is lost), and the reconciler looks every 250 ms at intents
    /// older than a second.
    /// </summary>
    public IDictionary<string, string?> PaymentsSettings => new Dictionary<string, string?>
    {
        ["PaymentProvider:BaseUrl"] = Address.ToString(),
        ["PaymentProvider:ApiKey"] = ApiKey,
        ["PaymentProvider:AttemptTimeout"] = "00:00:03",
        ["PaymentProvider:Retries"] = "3",
        ["Payments:ReconcileInterval"] = "00:00:00.250",
        ["Payments:ReconcileAfter"] = "00:00:01",
    };

    /// <summary>Starts a provider on a database of its own (dropped with it).</summary>
    public static async Task<TestPaymentProvider> StartAsync() =>
        await StartAsync(await TestDatabase.CreateAsync("provider_test"), ownsDatabase: true, SlowDelay);

    /// <summary>Starts a provider on <paramref name="database"/>, which the caller keeps (a restart on the same data).</summary>
    public static Task<TestPaymentProvider> StartAsync(TestDatabase database, TimeSpan slowDelay) =>
        StartAsync(database, ownsDatabase: false, slowDelay);

    static async Task<TestPaymentProvider> StartAsync(TestDatabase database, bool ownsDatabase, TimeSpan slowDelay)
    {
        var provider = new TestPaymentProvider(database, ownsDatabase, new Uri($"http://127.0.0.1:{FreePort()}/"), slowDelay);
        await provider.StartAgainAsync();
        return provider;
    }

    /// <summary>Starts the provider (again) at the same address on the same database.</summary>
    public async Task StartAgainAsync()
    {
        if (_service is not null)
            return;
        _service = await InProcessService.StartAsync("PaymentProvider", _database, virtualHost: null, PaymentProviderApp.Build,
            new Dictionary<string, string?>
            {
                ["Provider:SlowDelay"] = _slowDelay.ToString("c"),
                ["Provider:Merchants:shop:ApiKey"] = ApiKey,
                ["Provider:Merchants:console:ApiKey"] = ReadOnlyKey,
                ["Provider:Merchants:console:ReadOnly"] = "true",
            },
            address: Address);
    }

    /// <summary>Stops it as a crash would for its callers: connections refused until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_service is { } service)
        {
            _service = null;
            await service.DisposeAsync();
        }
    }

    /// <summary>Every charge the provider holds for the order, under any key: its own truth.</summary>
    public async Task<ProviderChargeView[]> ChargesOfAsync(Guid orderId) =>
        (await Http.GetFromJsonAsync<ProviderChargeView[]>($"charges?orderId={orderId}"))!;

    /// <summary>What the provider kept of the order's money: captured minus refunded.</summary>
    public async Task<decimal> NetAsync(Guid orderId) =>
        (await ChargesOfAsync(orderId)).Where(x => x.Status == "captured").Sum(x => x.Amount - x.AmountRefunded);

    /// <summary>Charges the key directly, as Payments would (for a crash between the provider's answer and our commit).</summary>
    public async Task<ProviderChargeView> ChargeAsync(string idempotencyKey, Guid orderId, decimal amount, string paymentToken = "tok_visa")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "charges")
        {
            Content = JsonContent.Create(new { orderId, amount, paymentToken }),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await Http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<ProviderChargeView>())!;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Http.Dispose();
        if (_ownsDatabase)
            await _database.DisposeAsync();
    }

    static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}

/// <summary>A charge as the provider's API lists it.</summary>
public sealed record ProviderChargeView(Guid ChargeId, string IdempotencyKey, Guid OrderId, decimal Amount, decimal AmountRefunded,
    string Status, string? DeclineCode, DateTimeOffset CreatedAt);
