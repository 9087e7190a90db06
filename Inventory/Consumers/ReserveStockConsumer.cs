using MassTransit;
using Shop.Contracts;
using Shop.Inventory.Data;
using Shop.Inventory.Domain;

namespace Shop.Inventory.Consumers;

/// <summary>
/// Reserves every line of an order or none, never more than is available (one guarded update of all the lines' rows,
/// locked in SKU order: it changes every row or none). One reservation per order: a repeat gets the same reply.
/// </summary>
public sealed class ReserveStockConsumer(InventoryDbContext dbContext, TimeProvider clock, ILogger<ReserveStockConsumer> logger)
    : IConsumer<ReserveStock>
{
    public async Task Consume(ConsumeContext<ReserveStock> context)
    {
        var command = context.Message;
        var reservation = await dbContext.FindReservationAsync(command.OrderId, context.CancellationToken)
            ?? await Reserve(command, context.CancellationToken);

        await (reservation.Status switch
        {
            ReservationStatus.Reserved or ReservationStatus.Committed =>
                context.Publish(new StockReserved(command.OrderId, reservation.CreatedAt)),
            ReservationStatus.Failed =>
                context.Publish(new StockReservationFailed(command.OrderId, reservation.UnavailableSkus, reservation.FailureReason!)),
            _ => context.Publish(new StockReservationFailed(command.OrderId, [], Reservation.Cancelled)),
        });
    }

    async Task<Reservation> Reserve(ReserveStock command, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var invalid = command.Lines
            .Where(x => x.Quantity <= 0 || string.IsNullOrEmpty(x.Sku) || x.Sku.Length > StockItem.MaxSkuLength)
            .Select(x => x.Sku)
            .ToList();
        if (command.Lines.Count == 0 || invalid.Count > 0)
        {
            var refused = Reservation.Reserve(command.OrderId, [], now);
            refused.Fail(Reservation.InvalidQuantity, invalid, now);
            dbContext.Reservations.Add(refused);
            logger.LogWarning("Reservation for order {OrderId} refused: invalid lines {Skus}", command.OrderId, invalid);
            return refused;
        }

        var reservation = Reservation.Reserve(command.OrderId, command.Lines.Select(x => (x.Sku, x.Quantity)), now);
        dbContext.Reservations.Add(reservation);
        // Claims the order first: a concurrent duplicate fails on the key before touching stock, and retries onto this result.
        await dbContext.SaveChangesAsync(cancellationToken);

        var unavailable = await dbContext.TryReserveAsync(reservation.Lines, cancellationToken);
        if (unavailable.Count == 0)
        {
            logger.LogInformation("Reserved {Lines} lines for order {OrderId}", reservation.Lines.Count, command.OrderId);
            return reservation;
        }

        reservation.Fail(Reservation.OutOfStock, unavailable, now);
        logger.LogInformation("Reservation for order {OrderId} failed: {Skus} unavailable", command.OrderId, unavailable);
        return reservation;
    }
}
