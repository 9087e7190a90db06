using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.ServiceDefaults;
using Shop.Shipping.Data;
using Shop.Shipping.Domain;
using Shop.Testing;

namespace Shop.Shipping.Tests;

/// <summary>
/// The Shipping service running in-process on a private database and virtual host, with a test bus on the same vhost
/// that sends its commands and records the events it publishes. Shared by every test; each test uses its own OrderId.
/// </summary>
public sealed class ShippingService() : DatabaseAndVirtualHost("shop_shipping_test"), IAsyncLifetime
{
    InProcessService? _service;

    public TestBus Bus { get; private set; } = null!;
    public ConsumedMessages Consumed { get; } = new();
    public HttpClient Http => _service!.Http;
    public IServiceProvider Services => _service!.Services;

    /// <summary>A client of the service sending <paramref name="token"/>, or none.</summary>
    public HttpClient ClientFor(string? token) => _service!.ClientFor(token);

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Bus = Own(await TestBus.StartAsync(VirtualHost, (bus, endpoint) =>
        {
            bus.Observe<ShipmentCreated>(endpoint);
            bus.Observe<ShipmentFailed>(endpoint);
            bus.Observe<ShipmentCancelled>(endpoint);
        }));
        _service = Own(await InProcessService.StartAsync("Shipping", Database, VirtualHost, ShippingApp.Build,
            new Dictionary<string, string?> { ["Shipping:UnsupportedCountries:0"] = "AQ", ["Shipping:UnsupportedCountries:1"] = "KP" }));
        _service.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
    }

    public Task<Guid> CreateShipment(Guid orderId, string country = "NL", Guid? messageId = null) =>
        Bus.Send("create-shipment", new CreateShipment(orderId, new ShippingAddress("1 Main St", "Utrecht", "3511 AA", country),
            [new StockLine("SKU-1", 2)]), messageId);

    public Task<Guid> CancelShipment(Guid orderId, string reason = CancellationReason.CustomerCancelled) =>
        Bus.Send("cancel-shipment", new CancelShipment(orderId, reason));

    public async Task<List<Shipment>> Shipments(Guid orderId)
    {
        await using var scope = _service!.Services.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<ShippingDbContext>();
        return await dbContext.Shipments.AsNoTracking().Where(x => x.OrderId == orderId).ToListAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ShippingCollection : ICollectionFixture<ShippingService>
{
    public const string Name = "Shipping";
}
