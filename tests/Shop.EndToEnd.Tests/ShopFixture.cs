using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// The whole shop running in-process (<see cref="ShopStack"/>), with short deadlines so that the timeout paths finish
/// within a test, every span recorded, and a fault switch in Shipping (<see cref="ShippingOutage"/>). Each service runs
/// as its own broker user and database role, with the rights the scripts give them (<see cref="ServiceUsers"/>): every
/// scenario holds under least privilege.
/// </summary>
public sealed class ShopFixture() : ShopStack(new ShopStackOptions
{
    Name = "e2e",
    Customer = Customer,
    AsServiceUsers = true,
    OrdersSettings = new Dictionary<string, string?>
    {
        ["Orders:PaymentTimeout"] = PaymentTimeout.ToString("c"),
        ["Orders:Deadlines:StockReservation"] = StockReservationDeadline.ToString("c"),
        ["Orders:Deadlines:Shipment"] = ShipmentDeadline.ToString("c"),
        ["Orders:Deadlines:Compensation"] = CompensationDeadline.ToString("c"),
        ["Orders:StuckSampleInterval"] = "00:00:01",
    },
}), IAsyncLifetime
{
    public static readonly TimeSpan PaymentTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Long enough for a test to re-drive a failed CreateShipment before it passes.</summary>
    public static readonly TimeSpan ShipmentDeadline = TimeSpan.FromSeconds(20);

    public static readonly TimeSpan StockReservationDeadline = TimeSpan.FromSeconds(20);

    /// <summary>Short: a compensation held up by a test is escalated (and listed as stuck) within it.</summary>
    public static readonly TimeSpan CompensationDeadline = TimeSpan.FromSeconds(3);

    /// <summary>The customer every order of these tests belongs to.</summary>
    public const string Customer = "customer-e2e";

    /// <summary>Every span of every service, from the start; a test picks its own trace.</summary>
    public SpanCollector Spans { get; } = new();

    public ShippingOutage ShippingOutage { get; } = new();

    protected override void ConfigureService(string service, WebApplicationBuilder builder)
    {
        if (service == "Shipping")
            builder.Services.AddSingleton<IConfigureReceiveEndpoint>(ShippingOutage);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Spans.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ShopCollection : ICollectionFixture<ShopFixture>
{
    public const string Name = "Shop";
}
