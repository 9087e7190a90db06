using Shop.Contracts;
using Shop.Testing;

namespace Shop.Shipping.Tests;

[Collection(ShippingCollection.Name)]
public sealed class When_CreateShipment_is_duplicated(ShippingService shipping)
{
    readonly Guid _orderId = Guid.NewGuid();

    [Fact]
    public async Task Should_drop_a_redelivery_with_the_same_MessageId()
    {
        var messageId = Guid.NewGuid();
        await shipping.CreateShipment(_orderId, messageId: messageId);
        await shipping.Bus.WaitForCount<ShipmentCreated>(x => x.OrderId == _orderId);

        await shipping.CreateShipment(_orderId, messageId: messageId);
        await shipping.Consumed.WaitFor(messageId, times: 2);

        await Consistently.True(() => shipping.Bus.Received<ShipmentCreated>(x => x.OrderId == _orderId).Count == 1,
            "exactly one ShipmentCreated");
        Assert.Single(await shipping.Shipments(_orderId));
    }

    [Fact]
    public async Task Should_reply_again_with_the_same_tracking_number_for_a_new_MessageId()
    {
        await shipping.CreateShipment(_orderId);
        var first = Assert.Single(await shipping.Bus.WaitForCount<ShipmentCreated>(x => x.OrderId == _orderId));

        await shipping.CreateShipment(_orderId);

        var replies = await shipping.Bus.WaitForCount<ShipmentCreated>(x => x.OrderId == _orderId, count: 2);
        Assert.All(replies, reply => Assert.Equal(first, reply));
        Assert.Single(await shipping.Shipments(_orderId));
    }

    [Fact]
    public async Task Should_create_one_shipment_when_both_copies_arrive_together()
    {
        await Task.WhenAll(shipping.CreateShipment(_orderId), shipping.CreateShipment(_orderId), shipping.CreateShipment(_orderId));

        var replies = await shipping.Bus.WaitForCount<ShipmentCreated>(x => x.OrderId == _orderId, count: 3);
        Assert.Single(replies.Distinct());
        Assert.Single(await shipping.Shipments(_orderId));
    }
}
