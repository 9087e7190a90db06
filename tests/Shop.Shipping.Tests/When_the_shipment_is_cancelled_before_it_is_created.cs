using Shop.Contracts;
using Shop.Shipping.Domain;

namespace Shop.Shipping.Tests;

[Collection(ShippingCollection.Name)]
public sealed class When_the_shipment_is_cancelled_before_it_is_created(ShippingService shipping)
{
    readonly Guid _orderId = Guid.NewGuid();

    [Fact]
    public async Task Should_publish_ShipmentCancelled_and_record_a_tombstone()
    {
        await shipping.CancelShipment(_orderId, CancellationReason.PaymentTimeout);

        await shipping.Bus.WaitForCount<ShipmentCancelled>(x => x.OrderId == _orderId);
        var tombstone = Assert.Single(await shipping.Shipments(_orderId));
        Assert.Equal((ShipmentStatus.Cancelled, null, CancellationReason.PaymentTimeout),
            (tombstone.Status, tombstone.TrackingNumber, tombstone.Reason));
    }

    [Fact]
    public async Task Should_fail_a_later_CreateShipment_and_create_nothing()
    {
        await shipping.CancelShipment(_orderId);
        await shipping.Bus.WaitForCount<ShipmentCancelled>(x => x.OrderId == _orderId);

        await shipping.CreateShipment(_orderId);

        var failed = Assert.Single(await shipping.Bus.WaitForCount<ShipmentFailed>(x => x.OrderId == _orderId));
        Assert.Equal("cancelled", failed.Reason);
        Assert.Empty(shipping.Bus.Received<ShipmentCreated>(x => x.OrderId == _orderId));
        var shipment = Assert.Single(await shipping.Shipments(_orderId));
        Assert.Equal((ShipmentStatus.Cancelled, null), (shipment.Status, shipment.TrackingNumber));
    }

    [Fact]
    public async Task Should_confirm_a_repeated_cancel_with_the_same_event()
    {
        await shipping.CancelShipment(_orderId);
        await shipping.Bus.WaitForCount<ShipmentCancelled>(x => x.OrderId == _orderId);

        await shipping.CancelShipment(_orderId);

        var confirmations = await shipping.Bus.WaitForCount<ShipmentCancelled>(x => x.OrderId == _orderId, count: 2);
        Assert.Equal(confirmations[0], confirmations[1]);
        Assert.Single(await shipping.Shipments(_orderId));
    }
}
