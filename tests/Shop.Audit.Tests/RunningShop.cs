using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Shop.Inventory;
using Shop.Inventory.Apis;
using Shop.Notifications;
using Shop.Notifications.Apis;
using Shop.Orders;
using Shop.Orders.Apis;
using Shop.Payments;
using Shop.Payments.Apis;
using Shop.Shipping;
using Shop.Shipping.Apis;
using Shop.Testing;

namespace Shop.Audit.Tests;

/// <summary>
/// The five real services in-process, each on its own database, sharing one virtual host (a short payment timeout), and
/// the payment-provider simulator they charge, so that the audit can be run on what the real flow wrote.
/// </summary>
public sealed class RunningShop : IAsyncLifetime
{
    readonly List<IAsyncDisposable> _resources = [];
    readonly List<TestDatabase> _databases = [];

    public TestVirtualHost VirtualHost { get; private set; } = null!;
    /// <summary>Orders as an operator (reads and cancels any order); <see cref="CustomerOrders"/> submits.</summary>
    public HttpClient Orders { get; private set; } = null!;
    public HttpClient CustomerOrders { get; private set; } = null!;
    public HttpClient Inventory { get; private set; } = null!;
    public TestPaymentProvider Provider { get; private set; } = null!;
    TestDatabase _ordersDatabase = null!;

    public async Task InitializeAsync()
    {
        VirtualHost = Own(await TestVirtualHost.CreateAsync("audit-shop"));
        Provider = Own(await TestPaymentProvider.StartAsync());
        var orders = _ordersDatabase = await CreateDatabaseAsync("orders");
        var payments = await CreateDatabaseAsync("payments");
        var inventory = await CreateDatabaseAsync("inventory");
        var shipping = await CreateDatabaseAsync("shipping");
        var notifications = await CreateDatabaseAsync("notifications");

        // Every command queue exists before Orders sends to it.
        Inventory = (await StartAsync("Inventory", inventory, b => b.AddInventoryServices(), a => a.MapInventoryApi(),
            new Dictionary<string, string?> { ["Inventory:Seed:Count"] = "0" })).Http;
        await StartAsync("Payments", payments, b => b.AddPaymentsServices(), a => a.MapPaymentsApi(), Provider.PaymentsSettings);
        await StartAsync("Shipping", shipping, b => b.AddShippingServices(), a => a.MapShippingApi());
        await StartAsync("Notifications", notifications, b => b.AddNotificationsServices(), a => a.MapNotificationsApi());
        var ordersService = await StartAsync("Orders", orders, b => b.AddOrdersServices(), a => a.MapOrdersApi(),
            new Dictionary<string, string?>
            {
                ["Orders:PaymentTimeout"] = "00:00:02",
                ["Orders:RateLimits:Submit:PermitLimit"] = "100000",
                ["Orders:RateLimits:Cancel:PermitLimit"] = "100000",
            });
        Orders = ordersService.Http;
        CustomerOrders = ordersService.ClientFor(TestTokens.Customer("customer-audit"));
    }

    public Task<AuditRun> AuditAsync(params string[] options) => AuditRun.ExecuteAsync(_databases, VirtualHost, Provider.Address, options);

    /// <summary>Puts the SKU in the catalog (PUT /products) and waits until Orders' price list has it.</summary>
    public async Task SetPriceAsync(string sku, decimal unitPrice)
    {
        (await Inventory.PutAsJsonAsync($"/products/{sku}", new { name = sku, unitPrice })).EnsureSuccessStatusCode();
        await Eventually.True(async () => await _ordersDatabase.ScalarAsync<decimal?>(
            $"SELECT \"UnitPrice\" FROM \"Prices\" WHERE \"Sku\" = '{sku}'") == unitPrice, $"Orders knows the price of {sku}");
    }

    public async Task<Guid> SubmitAsync(string sku, string paymentToken = "tok_visa", string country = "DE")
    {
        var response = await CustomerOrders.PostAsJsonAsync("/orders", new
        {
            email = "ada@example.com",
            items = new[] { new { sku, quantity = 2 } },
            paymentToken,
            shippingAddress = new { line1 = "1 Main St", city = "Berlin", postalCode = "10115", country },
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<OrderAccepted>())!.OrderId;
    }

    public Task WaitForStatusAsync(Guid orderId, params string[] statuses) =>
        Eventually.True(async () =>
        {
            var order = await Orders.GetFromJsonAsync<OrderDetails>($"/orders/{orderId}");
            return statuses.Contains(order!.Status);
        }, $"order {orderId} {string.Join(" or ", statuses)}");

    public async Task DisposeAsync()
    {
        for (var i = _resources.Count - 1; i >= 0; i--)
            await _resources[i].DisposeAsync();
    }

    async Task<TestDatabase> CreateDatabaseAsync(string service)
    {
        var database = Own(await TestDatabase.CreateAsync($"audit_shop_{service}"));
        _databases.Add(database);
        return database;
    }

    async Task<InProcessService> StartAsync(string name, TestDatabase database, Action<WebApplicationBuilder> addServices,
        Action<WebApplication> mapApi, IDictionary<string, string?>? settings = null) =>
        Own(await InProcessService.StartAsync(name, database, VirtualHost, addServices, mapApi, settings));

    T Own<T>(T resource)
        where T : IAsyncDisposable
    {
        _resources.Add(resource);
        return resource;
    }
}
