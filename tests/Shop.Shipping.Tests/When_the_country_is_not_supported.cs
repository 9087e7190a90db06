using Shop.Contracts;
using Shop.Shipping.Domain;

namespace Shop.Shipping.Tests;

[Collection(ShippingCollection.Name)]
public sealed class When_the_country_is_not_supported(ShippingService shipping)
{
    readonly Guid _orderId = Guid.NewGuid();

    [Theory]
    [InlineData("AQ")]
    [InlineData("kp")]
    public async Task Should_publish_ShipmentFailed_naming_the_country(string country)
    {
        await shipping.CreateShipment(_orderId, country);

        var failed = Assert.Single(await shipping.Bus.WaitForCount<ShipmentFailed>(x => x.OrderId == _orderId));
        Assert.Contains(country.ToUpperInvariant(), failed.Reason);
        Assert.Empty(shipping.Bus.Received<ShipmentCreated>(x => x.OrderId == _orderId));
    }

    [Fact]
    public async Task Should_record_the_failure_without_a_tracking_number()
    {
        await shipping.CreateShipment(_orderId, "AQ");
        var failed = Assert.Single(await shipping.Bus.WaitForCount<ShipmentFailed>(x => x.OrderId == _orderId));

        var shipment = Assert.Single(await shipping.Shipments(_orderId));
        Assert.Equal((ShipmentStatus.Failed, null, "AQ", failed.Reason), (shipment.Status, shipment.TrackingNumber, shipment.Country, shipment.Reason));
    }

    [Fact]
    public async Task Should_fail_again_when_the_command_is_repeated()
    {
        await shipping.CreateShipment(_orderId, "AQ");
        await shipping.Bus.WaitForCount<ShipmentFailed>(x => x.OrderId == _orderId);

        await shipping.CreateShipment(_orderId, "AQ");

        var failures = await shipping.Bus.WaitForCount<ShipmentFailed>(x => x.OrderId == _orderId, count: 2);
        Assert.Equal(failures[0], failures[1]);
        Assert.Single(await shipping.Shipments(_orderId));
    }
}
