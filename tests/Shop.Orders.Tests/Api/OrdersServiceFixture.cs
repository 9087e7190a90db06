using System.Net.Http.Headers;
using System.Text;
using Shop.Contracts;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>
/// The Orders service running in-process on a private PostgreSQL database and RabbitMQ virtual host, beside a small
/// test bus on the same vhost that records the order events Orders publishes and plays the other services' replies.
/// <see cref="Http"/> is customer <see cref="Customer"/>'s client; the rate limits are out of the way unless a subclass
/// sets them.
/// </summary>
public class OrdersServiceFixture() : DatabaseAndVirtualHost("shop_orders_test"), IAsyncLifetime
{
    public const string Customer = "customer-1";

    TestBus? _testBus;
    InProcessService? _orders;

    /// <summary>Customer <see cref="Customer"/>'s client.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <summary>An operator's client.</summary>
    public HttpClient Operator => _orders!.Http;

    /// <summary>A client sending <paramref name="token"/> (null: none).</summary>
    public HttpClient ClientFor(string? token) => _orders!.ClientFor(token);

    /// <summary>Orders' settings for this fixture; the defaults leave the rate limits out of the way.</summary>
    protected virtual Dictionary<string, string?> Settings => new()
    {
        ["Orders:RateLimits:Submit:PermitLimit"] = "100000",
        ["Orders:RateLimits:Cancel:PermitLimit"] = "100000",
    };

    public TestBus TestBus => _testBus!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        _testBus = Own(await TestBus.StartAsync(VirtualHost, (bus, endpoint) =>
        {
            bus.Observe<OrderSubmitted>(endpoint);
            bus.Observe<OrderCancelled>(endpoint);
            // Plays Inventory: binds ReserveStock's exchange, where the saga sends it, to the observer queue.
            bus.Observe<ReserveStock>(endpoint);
        }, "orders-test-observer"));
        _orders = Own(await InProcessService.StartAsync("Orders", Database, VirtualHost, OrdersApp.Build, Settings));
        Http = _orders.ClientFor(TestTokens.Customer(Customer));

        // The catalog prices of the SKUs the bodies use, as Inventory would publish them.
        await PublishPriceAsync("SKU-1", 5.00m, version: 1);
        await PublishPriceAsync("SKU-2", 15.50m, version: 1);
    }

    /// <summary>Publishes a ProductUpdated as Inventory does and waits until the price list holds that version.</summary>
    public async Task PublishPriceAsync(string sku, decimal unitPrice, long version)
    {
        await TestBus.Publish(new ProductUpdated(sku, $"Product {sku}", unitPrice, version, DateTimeOffset.UtcNow));
        await Eventually.True(async () => await Database.ScalarAsync<long?>(
                $"SELECT \"Version\" FROM \"Prices\" WHERE \"Sku\" = '{sku}'") >= version,
            $"Orders knows version {version} of {sku}");
    }

    public Task<decimal?> PriceAsync(string sku) =>
        Database.ScalarAsync<decimal?>($"SELECT \"UnitPrice\" FROM \"Prices\" WHERE \"Sku\" = '{sku}'");

    /// <summary>POST /orders as <see cref="Customer"/>, or with <paramref name="token"/>.</summary>
    public Task<HttpResponseMessage> PostOrderAsync(string json, string? idempotencyKey = null, string contentType = "application/json",
        string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue(contentType)),
        };
        if (idempotencyKey is not null)
            request.Headers.Add(OrdersApi.IdempotencyKeyHeader, idempotencyKey);
        if (token is not null)
            request.WithToken(token);
        return Http.SendAsync(request);
    }

    public async Task<Guid> SubmitOrderAsync(string? json = null, string? token = null)
    {
        var response = await PostOrderAsync(json ?? OrderBodies.Valid().ToJsonString(), token: token);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.ReadJsonAsync<OrderAccepted>()).OrderId;
    }

    public Task<long> CountAsync(string table) => Database.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\"");

    public Task<string?> SagaStateAsync(Guid orderId) =>
        Database.ScalarAsync<string>($"SELECT \"CurrentState\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'");

    public Task WaitForStateAsync(Guid orderId, string state) =>
        Eventually.True(async () => await SagaStateAsync(orderId) == state, $"order {orderId} is {state}");
}
