using System.Net.Http.Json;
using System.Text.Json;
using Shop.Contracts;
using Shop.Shipping.Domain;

namespace Shop.Shipping.Tests;

[Collection(ShippingCollection.Name)]
public sealed class When_a_shipment_is_created(ShippingService shipping)
{
    readonly Guid _orderId = Guid.NewGuid();

    [Fact]
    public async Task Should_publish_ShipmentCreated_with_a_tracking_number()
    {
        await shipping.CreateShipment(_orderId);

        var created = Assert.Single(await shipping.Bus.WaitForCount<ShipmentCreated>(x => x.OrderId == _orderId));
        Assert.Matches("^SHP-[A-Z0-9]{10}$", created.TrackingNumber);
        var shipment = Assert.Single(await shipping.Shipments(_orderId));
        Assert.Equal((created.ShipmentId, created.TrackingNumber, ShipmentStatus.Created), (shipment.Id, shipment.TrackingNumber, shipment.Status));
    }

    [Fact]
    public async Task Should_return_the_shipment_over_http()
    {
        await shipping.CreateShipment(_orderId, country: "de");
        var created = Assert.Single(await shipping.Bus.WaitForCount<ShipmentCreated>(x => x.OrderId == _orderId));

        using var json = JsonDocument.Parse(await shipping.Http.GetStringAsync($"/shipments?orderId={_orderId}"));

        var shipment = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(["shipmentId", "orderId", "trackingNumber", "status", "country", "createdAt", "reason"],
            shipment.EnumerateObject().Select(x => x.Name));
        Assert.Equal(created.ShipmentId, shipment.GetProperty("shipmentId").GetGuid());
        Assert.Equal(_orderId, shipment.GetProperty("orderId").GetGuid());
        Assert.Equal(created.TrackingNumber, shipment.GetProperty("trackingNumber").GetString());
        Assert.Equal("Created", shipment.GetProperty("status").GetString());
        Assert.Equal("DE", shipment.GetProperty("country").GetString());
        Assert.Equal(created.CreatedAt, shipment.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, shipment.GetProperty("reason").ValueKind);
    }

    [Fact]
    public async Task Should_return_an_empty_list_for_an_order_without_shipment()
    {
        var shipments = await shipping.Http.GetFromJsonAsync<JsonElement>($"/shipments?orderId={Guid.NewGuid()}");

        Assert.Equal(0, shipments.GetArrayLength());
    }
}
