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
            // Plays Inventory: binds ReserveStock's exchange, where the saga sends it, to the observer queue.
            bus.Observe<ReserveStock>(endpoint);
        }, "orders-test-observer");
        _orders = await InProcessService.StartAsync("Orders", _database, _virtualHost,
            builder => builder.AddOrdersServices(), app => app.MapOrdersApi());
    }

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
