using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Inventory.Apis;
using Shop.ServiceDefaults;
using Shop.Testing;

namespace Shop.Inventory.Tests;

/// <summary>
/// One Inventory service (own database and virtual host, no seed stock) and one test bus, shared by every test; tests
/// use their own order ids and SKUs.
/// </summary>
public sealed class InventoryFixture() : DatabaseAndVirtualHost("inventory_test"), IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public InProcessService Service { get; private set; } = null!;
    public TestBus Bus { get; private set; } = null!;

    /// <summary>Every message the service consumed (duplicates too), by message id.</summary>
    public ConsumedMessages Consumed { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Service = Own(await StartService(Database, VirtualHost, new Dictionary<string, string?> { ["Inventory:Seed:Count"] = "0" }));
        Service.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
        Bus = Own(await TestBus.StartAsync(VirtualHost, (bus, endpoint) =>
        {
            bus.Observe<StockReserved>(endpoint);
            bus.Observe<StockReservationFailed>(endpoint);
            bus.Observe<StockReleased>(endpoint);
            bus.Observe<ProductUpdated>(endpoint);
        }));
    }

    public static Task<InProcessService> StartService(TestDatabase database, TestVirtualHost virtualHost, IDictionary<string, string?> settings) =>
        InProcessService.StartAsync("Inventory", database, virtualHost, InventoryApp.Build, settings);

    /// <summary>A SKU of this test's own with <paramref name="onHand"/> units.</summary>
    public async Task<string> NewSku(int onHand)
    {
        // Upper case: the one spelling the API keeps (it normalises every SKU it is given).
        var sku = $"T-{Guid.NewGuid():N}".ToUpperInvariant();
        (await SetOnHand(sku, onHand)).EnsureSuccessStatusCode();
        return sku;
    }

    public Task<HttpResponseMessage> SetOnHand(string sku, int onHand) =>
        Service.Http.PutAsJsonAsync($"/stock/{sku}", new { onHand });

    public async Task<StockView> Stock(string sku) =>
        (await Service.Http.GetFromJsonAsync<StockView>($"/stock/{sku}", Json))!;

    public Task<Guid> Reserve(Guid orderId, params StockLine[] lines) =>
        Bus.Send("reserve-stock", new ReserveStock(orderId, lines));

    public Task<Guid> Release(Guid orderId) =>
        Bus.Send("release-stock", new ReleaseStock(orderId, CancellationReason.PaymentDeclined));

    public Task<Guid> Commit(Guid orderId) =>
        Bus.Send("commit-stock", new CommitStock(orderId));

    /// <summary>
    /// Waits until the message's unit of work has committed: its inbox row is written by the same transaction (for the
    /// commands that send no reply, such as CommitStock).
    /// </summary>
    public Task Committed(Guid messageId) =>
        Eventually.True(async () => await Database.ScalarAsync<long>($"""SELECT count(*) FROM "InboxState" WHERE "MessageId" = '{messageId}'""") > 0,
            $"the unit of work of message {messageId} committed");

    public Task<string?> ReservationStatus(Guid orderId) =>
        Database.ScalarAsync<string>($"""SELECT "Status" FROM "Reservations" WHERE "OrderId" = '{orderId}'""");

    static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceDefaultsExtensions.ConfigureJson(options);
        return options;
    }
}

[CollectionDefinition(Name)]
public sealed class InventoryCollection : ICollectionFixture<InventoryFixture>
{
    public const string Name = "Inventory";
}
