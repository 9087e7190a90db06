using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Shipping.Data;
using Shop.Shipping.Domain;

namespace Shop.Shipping.Consumers;

/// <summary>
/// Creates the order's shipment, or records why it cannot, and publishes the outcome. The shipment row is unique per
/// order, so a repeated command (a new MessageId) finds it and publishes the same outcome again; a concurrent duplicate
/// loses the insert race on the unique index and is retried onto that row.
/// </summary>
public sealed class CreateShipmentConsumer(
    ShippingDbContext dbContext,
    IOptions<ShippingOptions> options,
    TimeProvider clock,
    ILogger<CreateShipmentConsumer> logger) : IConsumer<CreateShipment>
{
    public async Task Consume(ConsumeContext<CreateShipment> context)
    {
        var command = context.Message;
        var shipment = await dbContext.Shipments.SingleOrDefaultAsync(x => x.OrderId == command.OrderId, context.CancellationToken);
        if (shipment is null)
        {
            shipment = NewShipment(command, clock.GetUtcNow());
            dbContext.Shipments.Add(shipment);
            logger.LogInformation("Shipment {ShipmentId} {Status} (country {Country})", shipment.Id, shipment.Status, shipment.Country);
        }
        else
        {
            logger.LogInformation("Order already has shipment {ShipmentId} ({Status}); replying again", shipment.Id, shipment.Status);
        }

        await (shipment.Status switch
        {
            ShipmentStatus.Created => context.Publish(
                new ShipmentCreated(shipment.OrderId, shipment.Id, shipment.TrackingNumber!, shipment.CreatedAt)),
            ShipmentStatus.Failed => context.Publish(new ShipmentFailed(shipment.OrderId, shipment.Reason!, shipment.CreatedAt)),
            _ => context.Publish(new ShipmentFailed(shipment.OrderId, Shipment.CancelledReason, shipment.CancelledAt ?? shipment.CreatedAt)),
        });
    }

    Shipment NewShipment(CreateShipment command, DateTimeOffset now)
    {
        var country = command.Address.Country.ToUpperInvariant();
        return options.Value.Supports(country)
            ? Shipment.Create(command.OrderId, country, TrackingNumber.New(), now)
            : Shipment.Fail(command.OrderId, country, $"Shipping to country '{country}' is not supported", now);
    }
}
