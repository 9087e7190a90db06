using Shop.Contracts;
using Shop.Shipping.Domain;

namespace Shop.Shipping.Tests;

[Collection(ShippingCollection.Name)]
public sealed class When_the_shipment_is_cancelled_after_it_is_created(ShippingService shipping)
{
    readonly Guid _orderId = Guid.NewGuid();

    [Fact]
    public async Task Should_mark_the_shipment_cancelled()
    {
        await shipping.CreateShipment(_orderId);
        var created = Assert.Single(await shipping.Bus.WaitForCount<ShipmentCreated>(x => x.OrderId == _orderId));

        await shipping.CancelShipment(_orderId, CancellationReason.CustomerCancelled);

        await shipping.Bus.WaitForCount<ShipmentCancelled>(x => x.OrderId == _orderId);
        var shipment = Assert.Single(await shipping.Shipments(_orderId));
        Assert.Equal((ShipmentStatus.Cancelled, created.TrackingNumber, CancellationReason.CustomerCancelled),
            (shipment.Status, shipment.TrackingNumber, shipment.Reason));
    }

    [Fact]
    public async Task Should_confirm_a_repeated_cancel_with_the_same_event()
    {
        await shipping.CreateShipment(_orderId);
        await shipping.Bus.WaitForCount<ShipmentCreated>(x => x.OrderId == _orderId);
        await shipping.CancelShipment(_orderId);
        await shipping.Bus.WaitForCount<ShipmentCancelled>(x => x.OrderId == _orderId);

        await shipping.CancelShipment(_orderId);

        var confirmations = await shipping.Bus.WaitForCount<ShipmentCancelled>(x => x.OrderId == _orderId, count: 2);
        Assert.Equal(confirmations[0], confirmations[1]);
        Assert.Equal(ShipmentStatus.Cancelled, Assert.Single(await shipping.Shipments(_orderId)).Status);
    }

    [Fact]
    public async Task Should_fail_a_later_CreateShipment()
    {
        await shipping.CreateShipment(_orderId);
        await shipping.Bus.WaitForCount<ShipmentCreated>(x => x.OrderId == _orderId);
        await shipping.CancelShipment(_orderId);
        await shipping.Bus.WaitForCount<ShipmentCancelled>(x => x.OrderId == _orderId);

        await shipping.CreateShipment(_orderId);

        var failed = Assert.Single(await shipping.Bus.WaitForCount<ShipmentFailed>(x => x.OrderId == _orderId));
        Assert.Equal("cancelled", failed.Reason);
    }
}
