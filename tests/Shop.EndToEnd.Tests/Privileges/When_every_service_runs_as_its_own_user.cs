using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using RabbitMQ.Client;
using Shop.Inventory;
using Shop.Inventory.Apis;
using Shop.Notifications;
using Shop.Notifications.Apis;
using Shop.Orders;
using Shop.Orders.Apis;
using Shop.PaymentProvider;
using Shop.PaymentProvider.Apis;
using Shop.Payments;
using Shop.Payments.Apis;
using Shop.Shipping;
using Shop.Shipping.Apis;
using Shop.Testing;

namespace Shop.EndToEnd.Tests.Privileges;

/// <summary>
/// The whole shop with no operator rights anywhere: each service logs in to RabbitMQ as its own user (the patterns of
/// scripts/broker-permissions.tsv) and to PostgreSQL as its own role, owner of its database only — its migrations run
/// as that role. An order still goes all the way to Completed.
/// </summary>
public sealed class When_every_service_runs_as_its_own_user : IAsyncLifetime
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    readonly List<IAsyncDisposable> _resources = [];
    readonly Dictionary<string, TestDatabase> _databases = [];
    TestVirtualHost _virtualHost = null!;
    HttpClient _orders = null!;
    HttpClient _inventory = null!;
    HttpClient _notifications = null!;

    public async Task InitializeAsync()
    {
        var virtualHost = _virtualHost = Own(await TestVirtualHost.CreateAsync("shop-own-users"));
        await ServiceUsers.GrantAsync(virtualHost);

        var provider = await StartAsync("PaymentProvider", null, b => b.AddPaymentProviderServices(), a => a.MapPaymentProviderApi());
        // Consumers first: each binds its commands' exchanges to its queues, where the saga sends them.
        _inventory = await StartAsync("Inventory", virtualHost, b => b.AddInventoryServices(), a => a.MapInventoryApi(),
            new() { ["Inventory:Seed:Count"] = "0" });
        await StartAsync("Payments", virtualHost, b => b.AddPaymentsServices(), a => a.MapPaymentsApi(),
            new() { ["PaymentProvider:BaseUrl"] = provider.BaseAddress!.ToString() });
        await StartAsync("Shipping", virtualHost, b => b.AddShippingServices(), a => a.MapShippingApi());
        _notifications = await StartAsync("Notifications", virtualHost, b => b.AddNotificationsServices(), a => a.MapNotificationsApi());
        _orders = await StartAsync("Orders", virtualHost, b => b.AddOrdersServices(), a => a.MapOrdersApi());
    }

    public async Task DisposeAsync()
    {
        for (var i = _resources.Count - 1; i >= 0; i--)
            await _resources[i].DisposeAsync();
    }

    [Fact]
    public async Task Should_complete_an_order_end_to_end()
    {
        var sku = $"OWN-{Guid.NewGuid():N}"[..20];
        Assert.Equal(HttpStatusCode.OK, (await _inventory.PutAsJsonAsync($"/stock/{sku}", new { onHand = 5 }, Json)).StatusCode);

        var submitted = await _orders.PostAsJsonAsync("/orders", new
        {
            customerId = "customer-own-users",
            email = "ada@example.com",
            items = new[] { new { sku, quantity = 2, unitPrice = 12.50m } },
            paymentToken = "tok_visa",
            shippingAddress = new { line1 = "1 Main St", city = "Berlin", postalCode = "10115", country = "DE" },
        }, Json);
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var orderId = (await submitted.Content.ReadFromJsonAsync<OrderAccepted>(Json))!.OrderId;

        var order = await Eventually.Value(async () =>
            await _orders.GetFromJsonAsync<OrderDetails>($"/orders/{orderId}", Json) is { Status: "Completed" or "Cancelled" } done ? done : null,
            $"order {orderId} to end", TimeSpan.FromSeconds(60));
        Assert.Equal("Completed", order.Status);
        await Eventually.True(async () => (await _notifications.GetFromJsonAsync<List<NotificationResponse>>($"/notifications?orderId={orderId}", Json))!.Count == 1,
            "the customer notified once");
    }

    [Fact]
    public async Task Should_dead_letter_a_message_it_cannot_read_with_its_own_rights()
    {
        // Unreadable: MassTransit moves it to charge-payment_error and publishes a ReceiveFault, both as shop_payments.
        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitMqHost,
            VirtualHost = _virtualHost.Name,
            UserName = TestServers.RabbitMqUser,
            Password = TestServers.RabbitMqPassword,
        };
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var body = """{"messageType":["urn:message:shop:payments:charge-payment:v1"],"message":{"orderId":"not-a-guid"}}""";
            await channel.BasicPublishAsync("Shop.Contracts:ChargePayment", "", mandatory: false,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString() },
                Encoding.UTF8.GetBytes(body));
        }

        await Eventually.True(async () => await _virtualHost.MessagesReadyAsync("charge-payment_error") == 1,
            "the unreadable ChargePayment in charge-payment_error", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Should_have_created_every_services_tables_as_its_own_role()
    {
        foreach (var (service, database) in _databases)
        {
            var owners = await database.ScalarAsync<string>(
                "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'public'");

            Assert.Equal(ServiceUsers.UserOf(service), owners);
        }
    }

    async Task<HttpClient> StartAsync(string name, TestVirtualHost? virtualHost, Action<WebApplicationBuilder> addServices,
        Action<WebApplication> mapApi, Dictionary<string, string?>? settings = null)
    {
        var database = Own(await TestDatabase.CreateAsync($"shop_own_{name.ToLowerInvariant()}"));
        _databases[name] = database;
        var user = ServiceUsers.UserOf(name);
        settings ??= [];
        settings[$"ConnectionStrings:{name}"] = await ServiceUsers.HandOverAsync(database, name);
        if (virtualHost is not null)
        {
            settings["RabbitMq:Username"] = user;
            settings["RabbitMq:Password"] = ServiceUsers.PasswordOf(user);
        }

        var service = Own(await InProcessService.StartAsync(name, database, virtualHost, addServices, mapApi, settings));
        return service.Http;
    }

    T Own<T>(T resource) where T : IAsyncDisposable
    {
        _resources.Add(resource);
        return resource;
    }
}
