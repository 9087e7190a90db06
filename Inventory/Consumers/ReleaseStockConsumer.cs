using MassTransit;
using Shop.Contracts;
using Shop.Inventory.Data;
using Shop.Inventory.Domain;

namespace Shop.Inventory.Consumers;

/// <summary>
/// Compensation: gives back what the order reserved, once. With no reservation yet it leaves a tombstone so a late
/// <c>ReserveStock</c> is refused. Always replies.
/// </summary>
public sealed class ReleaseStockConsumer(InventoryDbContext dbContext, TimeProvider clock, ILogger<ReleaseStockConsumer> logger)
    : IConsumer<ReleaseStock>
{
    public async Task Consume(ConsumeContext<ReleaseStock> context)
    {
        var command = context.Message;
        var now = clock.GetUtcNow();
        var reservation = await dbContext.FindReservationAsync(command.OrderId, context.CancellationToken);

        switch (reservation?.Status)
        {
            case null:
                reservation = Reservation.Tombstone(command.OrderId, now);
                dbContext.Reservations.Add(reservation);
                logger.LogInformation("Nothing reserved for order {OrderId}; a later reservation will be refused", command.OrderId);
                break;
            case ReservationStatus.Reserved:
                reservation.Release(now);
                // The version check runs first: of two concurrent releases only one gives the stock back.
                await dbContext.SaveChangesAsync(context.CancellationToken);
                await dbContext.ReleaseAsync(reservation.Lines, context.CancellationToken);
                logger.LogInformation("Released {Lines} lines of order {OrderId} ({Reason})", reservation.Lines.Count, command.OrderId, command.Reason);
                break;
            case ReservationStatus.Committed:
                logger.LogWarning("Release of order {OrderId} ignored: its stock was already committed", command.OrderId);
                break;
        }

        var releasedAt = reservation.Status == ReservationStatus.Released ? reservation.StatusChangedAt : now;
        await context.Publish(new StockReleased(command.OrderId, releasedAt));
    }
}
