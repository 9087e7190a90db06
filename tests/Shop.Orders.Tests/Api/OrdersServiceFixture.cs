using System.Net.Http.Headers;
using System.Text;
using Shop.Contracts;
using Shop.Orders.Apis;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

/// <summary>
/// The Orders service running in-process on a private PostgreSQL database and RabbitMQ virtual host, beside a small
/// test bus on the same vhost that records the order events Orders publishes and plays the other services' replies.
/// </summary>
public sealed class OrdersServiceFixture : IAsyncLifetime
{
    TestDatabase? _database;
    TestVirtualHost? _virtualHost;
    TestBus? _testBus;
    InProcessService? _orders;

    public TestDatabase Database => _database!;
    public TestVirtualHost VirtualHost => _virtualHost!;
    public HttpClient Http => _orders!.Http;
    public TestBus TestBus => _testBus!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("shop_orders_test");
        _virtualHost = await TestVirtualHost.CreateAsync("shop-orders-test");
        _testBus = await TestBus.StartAsync(_virtualHost, (bus, endpoint) =>
        {
            bus.Observe<OrderSubmitted>(endpoint);
            bus.Observe<OrderCancelled>(endpoint);
        }, "orders-test-observer");
        _orders = await InProcessService.StartAsync("Orders", _database, _virtualHost,
            builder => builder.AddOrdersServices(), app => app.MapOrdersApi());

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

    public async Task DisposeAsync()
    {
        if (_orders is not null)
            await _orders.DisposeAsync();
        if (_testBus is not null)
            await _testBus.DisposeAsync();
        if (_virtualHost is not null)
            await _virtualHost.DisposeAsync();
        if (_database is not null)
            await _database.DisposeAsync();
    }

    public Task<HttpResponseMessage> PostOrderAsync(string json, string? idempotencyKey = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/orders")
        {
            Content = new StringContent(json, Encoding.UTF8, new MediaTypeHeaderValue(contentType)),
        };
        if (idempotencyKey is not null)
            request.Headers.Add(OrdersApi.IdempotencyKeyHeader, idempotencyKey);
        return Http.SendAsync(request);
    }

    public async Task<Guid> SubmitOrderAsync(string? json = null)
    {
        var response = await PostOrderAsync(json ?? OrderBodies.Valid().ToJsonString());
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        return (await response.ReadJsonAsync<OrderAccepted>()).OrderId;
    }

    public Task<long> CountAsync(string table) => Database.ScalarAsync<long>($"SELECT count(*) FROM \"{table}\"");

    public Task<string?> SagaStateAsync(Guid orderId) =>
        Database.ScalarAsync<string>($"SELECT \"CurrentState\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'");

    public Task WaitForStateAsync(Guid orderId, string state) =>
        Eventually.True(async () => await SagaStateAsync(orderId) == state, $"order {orderId} is {state}");
}
