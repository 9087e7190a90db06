using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Npgsql;
using Shop.Inventory;
using Shop.Inventory.Apis;
using Shop.Notifications;
using Shop.Orders;
using Shop.Orders.Apis;
using Shop.Payments;
using Shop.Shipping;

namespace Shop.Testing;

/// <summary>
/// The whole shop in the test process: the five services, each started through its own entry point
/// (<c>OrdersApp.Build</c>, ...) on a PostgreSQL database of its own, sharing one RabbitMQ virtual host, and the
/// payment-provider simulator that Payments charges over HTTP. Shipping can be stopped and started again on its database
/// to play a service that is down. What differs between the shops of the test projects is in
/// <see cref="ShopStackOptions"/>.
/// </summary>
/// <remarks>
/// A fixture derives from it and declares xUnit's <c>IAsyncLifetime</c>, which <see cref="InitializeAsync"/> and
/// <see cref="DisposeAsync"/> implement (Shop.Testing does not reference xUnit). Keep to one stack at a time in a test
/// process (one collection, or a collection that runs alone): two would share meter names and the machine's cores.
/// </remarks>
public abstract class ShopStack(ShopStackOptions options)
{
    /// <summary>How the tests read the services' answers (enums by name, as the services write them).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    readonly OwnedResources _owned = new();
    InProcessService? _shipping;
    Dictionary<string, string?> _shippingSettings = null!;

    public TestVirtualHost VirtualHost { get; private set; } = null!;
    public TestPaymentProvider Provider { get; private set; } = null!;

    /// <summary>Every service's database, by service name.</summary>
    public Dictionary<string, TestDatabase> Databases { get; } = [];

    public TestDatabase OrdersDatabase => Databases["Orders"];

    /// <summary>Orders as <see cref="ShopStackOptions.Customer"/>: submits and cancels.</summary>
    public HttpClient CustomerOrders { get; private set; } = null!;

    /// <summary>Orders, like every other client here, as an operator: reads (and cancels) any order.</summary>
    public HttpClient Orders { get; private set; } = null!;

    public HttpClient Payments { get; private set; } = null!;
    public HttpClient Inventory { get; private set; } = null!;

    /// <summary>Shipping's client; a new one after <see cref="StartShippingAsync"/>.</summary>
    public HttpClient Shipping { get; private set; } = null!;

    public HttpClient Notifications { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        VirtualHost = Own(await TestVirtualHost.CreateAsync($"shop-{options.Name}"));
        if (options.AsServiceUsers)
            await ServiceUsers.GrantAsync(VirtualHost);
        Provider = Own(await TestPaymentProvider.StartAsync());

        // Started in the order of the flow's consumers first, so every command queue exists before Orders sends to it.
        Inventory = (await StartAsync("Inventory", InventoryApp.Build, new Dictionary<string, string?> { ["Inventory:Seed:Count"] = "0" })).Http;
        Payments = (await StartAsync("Payments", PaymentsApp.Build, Provider.PaymentsSettings)).Http;
        _shippingSettings = await SettingsAsync("Shipping", await CreateDatabaseAsync("Shipping"));
        await StartShippingAsync();
        Notifications = (await StartAsync("Notifications", NotificationsApp.Build)).Http;
        var orders = await StartAsync("Orders", OrdersApp.Build, new Dictionary<string, string?>
        {
            ["Orders:RateLimits:Submit:PermitLimit"] = "100000",
            ["Orders:RateLimits:Cancel:PermitLimit"] = "100000",
        }.Concat(options.OrdersSettings));
        Orders = orders.Http;
        CustomerOrders = orders.ClientFor(TestTokens.Customer(options.Customer));
    }

    /// <summary>A fixture's own registrations in a service (before the service's own), e.g. a fault switch in Shipping.</summary>
    protected virtual void ConfigureService(string service, WebApplicationBuilder builder)
    {
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
        _shipping = await InProcessService.StartAsync("Shipping", Databases["Shipping"], VirtualHost, ShippingApp.Build, _shippingSettings,
            configureBuilder: builder => ConfigureService("Shipping", builder));
        Shipping = _shipping.Http;
    }

    public virtual async Task DisposeAsync()
    {
        await StopShippingAsync();
        // Services first (each was owned after its database), the virtual host last.
        await _owned.DisposeAsync();
    }

    /// <summary>Sets the SKU's catalog price in Inventory and waits until Orders' price list has it (by ProductUpdated).</summary>
    public async Task<ProductView> SetPriceAsync(string sku, decimal unitPrice)
    {
        var response = await Inventory.PutAsJsonAsync($"/products/{sku}", new { name = $"Product {sku}", unitPrice }, Json);
        await ExpectAsync(response, HttpStatusCode.OK, $"PUT /products/{sku}");
        var product = (await response.Content.ReadFromJsonAsync<ProductView>(Json))!;
        await Eventually.True(async () => await KnownPriceAsync(product.Sku) == unitPrice,
            $"Orders knows the price {unitPrice} of {product.Sku}");
        return product;
    }

    /// <summary>The unit price of the SKU in Orders' price list, null when it has none.</summary>
    public async Task<decimal?> KnownPriceAsync(string sku)
    {
        await using var connection = new NpgsqlConnection(OrdersDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "UnitPrice" FROM "Prices" WHERE "Sku" = @sku""", connection);
        command.Parameters.AddWithValue("sku", sku);
        return await command.ExecuteScalarAsync() is decimal price ? price : null;
    }

    /// <summary>POST /orders with one line (sku, quantity: the price is the catalog's), whatever the answer.</summary>
    public Task<HttpResponseMessage> PostOrderAsync(string sku, int quantity = 1, string paymentToken = "tok_visa", string country = "DE")
    {
        var body = new
        {
            email = "ada@example.com",
            items = new[] { new { sku, quantity } },
            paymentToken,
            shippingAddress = new { line1 = "1 Main St", city = "Berlin", postalCode = "10115", country },
        };
        return CustomerOrders.PostAsJsonAsync("/orders", body, Json);
    }

    /// <summary>POST /orders as <see cref="PostOrderAsync"/> does; fails unless the order is accepted (202).</summary>
    public async Task<Guid> SubmitOrderAsync(string sku, int quantity = 1, string paymentToken = "tok_visa", string country = "DE")
    {
        var response = await PostOrderAsync(sku, quantity, paymentToken, country);
        await ExpectAsync(response, HttpStatusCode.Accepted, "POST /orders");
        return (await response.Content.ReadFromJsonAsync<OrderAccepted>(Json))!.OrderId;
    }

    public async Task<OrderDetails> GetOrderAsync(Guid orderId) =>
        (await Orders.GetFromJsonAsync<OrderDetails>($"/orders/{orderId}", Json))!;

    public Task<OrderDetails> WaitForStatusAsync(Guid orderId, params string[] statuses) =>
        Eventually.Value(async () => await GetOrderAsync(orderId) is var order && statuses.Contains(order.Status) ? order : null,
            $"order {orderId} to be {string.Join(" or ", statuses)}");

    async Task<InProcessService> StartAsync(string service, Func<WebApplicationBuilder, WebApplication> build,
        IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var database = await CreateDatabaseAsync(service);
        return Own(await InProcessService.StartAsync(service, database, VirtualHost, build, await SettingsAsync(service, database, settings),
            configureBuilder: builder => ConfigureService(service, builder)));
    }

    async Task<TestDatabase> CreateDatabaseAsync(string service)
    {
        var database = Own(await TestDatabase.CreateAsync($"shop_{options.Name}_{service.ToLowerInvariant()}"));
        Databases[service] = database;
        return database;
    }

    /// <summary>The service's settings: as its own users when the options say so, then <paramref name="settings"/>.</summary>
    async Task<Dictionary<string, string?>> SettingsAsync(string service, TestDatabase database,
        IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var all = options.AsServiceUsers ? await ServiceUsers.SettingsForAsync(service, database) : [];
        foreach (var (key, value) in settings ?? [])
            all[key] = value;
        return all;
    }

    T Own<T>(T resource)
        where T : IAsyncDisposable =>
        _owned.Add(resource);

    /// <summary>An assertion in a library without xUnit: a wrong status fails the test with the answer's body.</summary>
    static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode status, string request)
    {
        if (response.StatusCode != status)
            throw new HttpRequestException(
                $"{request} answered {(int)response.StatusCode}, not {(int)status}: {await response.Content.ReadAsStringAsync()}");
    }
}

/// <summary>What differs between the shops the test projects run (see <see cref="ShopStack"/>).</summary>
public sealed record ShopStackOptions
{
    /// <summary>Names the virtual host (<c>shop-{Name}-…</c>) and the databases (<c>shop_{Name}_orders_…</c>, ...).</summary>
    public required string Name { get; init; }

    /// <summary>The customer <see cref="ShopStack.CustomerOrders"/> submits as.</summary>
    public required string Customer { get; init; }

    /// <summary>
    /// Each service logs in as its own broker user and database role, with the rights the scripts give them
    /// (<see cref="ServiceUsers"/>); otherwise all of them as the operator.
    /// </summary>
    public bool AsServiceUsers { get; init; }

    /// <summary>Orders' settings beyond the stack's (rate limits out of the way): its payment timeout, deadlines, ....</summary>
    public IReadOnlyDictionary<string, string?> OrdersSettings { get; init; } = new Dictionary<string, string?>();
}
