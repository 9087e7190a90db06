using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Shipping.Data;
using Shop.Shipping.Domain;

namespace Shop.Shipping.Consumers;

/// <summary>
/// Cancels the order's shipment. When none exists yet it records a tombstone, so a CreateShipment that arrives later
/// (reordered or retried) fails instead of shipping a cancelled order. Always confirms with ShipmentCancelled.
/// </summary>
public sealed class CancelShipmentConsumer(
    ShippingDbContext dbContext,
    TimeProvider clock,
    ILogger<CancelShipmentConsumer> logger) : IConsumer<CancelShipment>
{
    public async Task Consume(ConsumeContext<CancelShipment> context)
    {
        var command = context.Message;
        var now = clock.GetUtcNow();
        var shipment = await dbContext.Shipments.SingleOrDefaultAsync(x => x.OrderId == command.OrderId, context.CancellationToken);
        if (shipment is null)
        {
            shipment = Shipment.Tombstone(command.OrderId, command.Reason, now);
            dbContext.Shipments.Add(shipment);
            logger.LogInformation("No shipment yet; recorded the cancellation ({Reason}) so none is created", command.Reason);
        }
        else
        {
            var before = shipment.Status;
            shipment.Cancel(command.Reason, now);
            logger.LogInformation("Shipment {ShipmentId}: {Before} -> {After} ({Reason})", shipment.Id, before, shipment.Status,
                command.Reason);
        }

        await context.Publish(new ShipmentCancelled(command.OrderId, shipment.CancelledAt ?? now));
    }
}
