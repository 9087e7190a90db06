using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Shop.Inventory;
using Shop.Inventory.Apis;
using Shop.Notifications;
using Shop.Notifications.Apis;
using Shop.Orders;
using Shop.Orders.Apis;
using Shop.Payments;
using Shop.Payments.Apis;
using Shop.ServiceDefaults;
using Shop.Shipping;
using Shop.Shipping.Apis;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// The whole shop running in-process: all five services, each on its own PostgreSQL database, sharing one RabbitMQ
/// virtual host, with short deadlines so that the timeout paths finish within a test, and every span recorded. Payments
/// calls the payment-provider simulator over HTTP (its own database too). Shipping can be stopped and started again (on
/// its database) to play a service that is down. Each service runs as its own broker user and database role, with
/// the rights the scripts give them (<see cref="ServiceUsers"/>): every scenario holds under least privilege.
/// </summary>
public sealed class ShopFixture : IAsyncLifetime
{
    public static readonly TimeSpan PaymentTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Long enough for a test to re-drive a failed CreateShipment before it passes.</summary>
    public static readonly TimeSpan ShipmentDeadline = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan StockReservationDeadline = TimeSpan.FromSeconds(20);

    /// <summary>Short: a compensation held up by a test is escalated (and listed as stuck) within it.</summary>
    public static readonly TimeSpan CompensationDeadline = TimeSpan.FromSeconds(3);

    readonly List<IAsyncDisposable> _resources = [];
    TestVirtualHost _virtualHost = null!;
    TestDatabase _shippingDatabase = null!;
    InProcessService? _shipping;
    Dictionary<string, string?> _shippingSettings = null!;

    /// <summary>Every span of every service, from the start; a test picks its own trace.</summary>
    public SpanCollector Spans { get; } = new();

    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public TestPaymentProvider Provider { get; private set; } = null!;
    public ShippingOutage ShippingOutage { get; } = new();
    public TestDatabase OrdersDatabase { get; private set; } = null!;
    /// <summary>Every service's database, by service name.</summary>
    public Dictionary<string, TestDatabase> Databases { get; } = [];

    /// <summary>The customer every order of these tests belongs to.</summary>
    public const string Customer = "customer-e2e";

    /// <summary>Orders as <see cref="Customer"/>: submits and cancels.</summary>
    public HttpClient CustomerOrders { get; private set; } = null!;

    /// <summary>Orders, like every other client here, as an operator: reads any order.</summary>
    public HttpClient Orders { get; private set; } = null!;
    public HttpClient Payments { get; private set; } = null!;
    public HttpClient Inventory { get; private set; } = null!;
    public HttpClient Shipping { get; private set; } = null!;
    public HttpClient Notifications { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var virtualHost = VirtualHost = Own(await TestVirtualHost.CreateAsync("shop-e2e"));
        await ServiceUsers.GrantAsync(virtualHost);

        Provider = Own(await TestPaymentProvider.StartAsync());

        // Started in the order of the flow's consumers first, so every command queue exists before Orders sends to it.
        Inventory = (await StartAsync("Inventory", virtualHost, b => b.AddInventoryServices(), a => a.MapInventoryApi(),
            new Dictionary<string, string?> { ["Inventory:Seed:Count"] = "0" })).Http;
        Payments = (await StartAsync("Payments", virtualHost, b => b.AddPaymentsServices(), a => a.MapPaymentsApi(), Provider.PaymentsSettings)).Http;
        _virtualHost = virtualHost;
        _shippingDatabase = Own(await TestDatabase.CreateAsync("shop_e2e_shipping"));
        Databases["Shipping"] = _shippingDatabase;
        _shippingSettings = await ServiceUsers.SettingsForAsync("Shipping", _shippingDatabase);
        await StartShippingAsync();
        Notifications = (await StartAsync("Notifications", virtualHost, b => b.AddNotificationsServices(), a => a.MapNotificationsApi())).Http;
        var orders = await StartAsync("Orders", virtualHost, b => b.AddOrdersServices(), a => a.MapOrdersApi(),
            new Dictionary<string, string?>
            {
                ["Orders:PaymentTimeout"] = PaymentTimeout.ToString("c"),
                ["Orders:Deadlines:StockReservation"] = StockReservationDeadline.ToString("c"),
                ["Orders:Deadlines:Shipment"] = ShipmentDeadline.ToString("c"),
                ["Orders:Deadlines:Compensation"] = CompensationDeadline.ToString("c"),
                ["Orders:StuckSampleInterval"] = "00:00:01",
                ["Orders:RateLimits:Submit:PermitLimit"] = "100000",
                ["Orders:RateLimits:Cancel:PermitLimit"] = "100000",
            },
            database => OrdersDatabase = database);
        Orders = orders.Http;
        CustomerOrders = orders.ClientFor(TestTokens.Customer(Customer));
    }

    /// <summary>Stops the Shipping service: its queues (and what is sent to them) wait on the broker.</summary>
    public async Task StopShippingAsync()
    {
        if (_shipping is { } shipping)
        {
            _shipping = null;
            await shipping.DisposeAsync();
        }
    }

    /// <summary>Starts Shipping (again) on its database; it consumes whatever waited in its queues.</summary>
    public async Task StartShippingAsync()
    {
        if (_shipping is not null)
            return;
        _shipping = await InProcessService.StartAsync("Shipping", _shippingDatabase, _virtualHost, b => b.AddShippingServices(),
            a => a.MapShippingApi(), _shippingSettings, configureBuilder: b => b.Services.AddSingleton<IConfigureReceiveEndpoint>(ShippingOutage));
        Shipping = _shipping.Http;
    }

    public async Task DisposeAsync()
    {
        await StopShippingAsync();
        // Services first (they were added after their database), the virtual host last.
        for (var i = _resources.Count - 1; i >= 0; i--)
            await _resources[i].DisposeAsync();
        Spans.Dispose();
    }

    async Task<InProcessService> StartAsync(string name, TestVirtualHost virtualHost, Action<WebApplicationBuilder> addServices,
        Action<WebApplication> mapApi, IDictionary<string, string?>? settings = null, Action<TestDatabase>? onDatabase = null,
        Action<WebApplicationBuilder>? configureBuilder = null)
    {
        var database = Own(await TestDatabase.CreateAsync($"shop_e2e_{name.ToLowerInvariant()}"));
        Databases[name] = database;
        onDatabase?.Invoke(database);
        var asItself = await ServiceUsers.SettingsForAsync(name, database);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            asItself[key] = value;
        return Own(await InProcessService.StartAsync(name, database, virtualHost, addServices, mapApi, asItself, configureBuilder));
    }

    T Own<T>(T resource) where T : IAsyncDisposable
    {
        _resources.Add(resource);
        return resource;
    }
}

[CollectionDefinition(Name)]
public sealed class ShopCollection : ICollectionFixture<ShopFixture>
{
    public const string Name = "Shop";
}
