using MassTransit;
using Shop.Contracts;
using Shop.Inventory.Data;
using Shop.Inventory.Domain;
using Shop.Messaging.Retry;

namespace Shop.Inventory.Consumers;

/// <summary>
/// The order shipped: its reserved units leave the warehouse, once. Committing stock that is not reserved is a poison
/// message. No reply: nothing waits for one (the saga completes on ShipmentCreated), and an event nobody consumes cost
/// an outbox row, a delivery and a broker message per order.
/// </summary>
public sealed class CommitStockConsumer(InventoryDbContext dbContext, TimeProvider clock, ILogger<CommitStockConsumer> logger)
    : IConsumer<CommitStock>
{
    public async Task Consume(ConsumeContext<CommitStock> context)
    {
        var command = context.Message;
        var reservation = await dbContext.FindReservationAsync(command.OrderId, context.CancellationToken);

        switch (reservation?.Status)
        {
            case ReservationStatus.Reserved:
                reservation.Commit(clock.GetUtcNow());
                // The version check runs first: of two concurrent commits only one takes the stock.
                await dbContext.SaveChangesAsync(context.CancellationToken);
                await dbContext.CommitAsync(reservation.Lines, context.CancellationToken);
                logger.LogInformation("Committed {Lines} lines of order {OrderId}", reservation.Lines.Count, command.OrderId);
                break;
            case ReservationStatus.Committed:
                break;
            default:
                throw new PermanentMessageFailureException(
                    $"Order {command.OrderId} has no reserved stock to commit (reservation {reservation?.Status.ToString() ?? "missing"}).");
        }
    }
}
