using Microsoft.EntityFrameworkCore;
using Shop.Inventory.Data;
using Shop.Inventory.Domain;
using Shop.Notifications.Data;
using Shop.Notifications.Domain;
using Shop.Orders.Data;
using Shop.Payments.Data;
using Shop.Payments.Domain;
using Shop.Shipping.Data;
using Shop.Shipping.Domain;

namespace Shop.Audit;

/// <summary>An order as the API accepted it, with its saga's state (null: no saga).</summary>
public sealed record OrderRow(Guid Id, DateTimeOffset CreatedAt, decimal Total, int Quantity, string? State, string? CancellationReason,
    DateTimeOffset? StateSince = null);

public sealed record PaymentTotals(Guid OrderId, int Captures, decimal Captured, int Refunds, decimal Refunded)
{
    public static PaymentTotals None(Guid orderId) => new(orderId, 0, 0, 0, 0);
}

/// <summary>An order's shipping records; <see cref="Live"/> counts those in status Created.</summary>
public sealed record ShipmentTotals(Guid OrderId, int Shipments, int Live);

public sealed record ReservationRow(Guid OrderId, ReservationStatus Status, int Quantity);

public sealed record NotificationCount(Guid OrderId, NotificationKind Kind, int Count);

/// <summary>One SKU: its stock row, the units ever received (adjustments), and its reservation lines by status.</summary>
public sealed record SkuRow(string Sku, int OnHand, int Reserved, long Received, long Committed, long Held);

/// <summary>
/// What the audit needs from the five databases, read with set-based queries (a handful per database, whatever the
/// number of orders). <see cref="Orders"/> honours <c>--since</c>; the other services' rows are read in full.
/// </summary>
public sealed record AuditData(
    IReadOnlyList<OrderRow> Orders,
    IReadOnlyList<Guid> SagasWithoutOrder,
    IReadOnlyList<PaymentTotals> Payments,
    IReadOnlyList<ShipmentTotals> Shipments,
    IReadOnlyList<ReservationRow> Reservations,
    IReadOnlyList<NotificationCount> Notifications,
    IReadOnlyList<SkuRow> Skus,
    bool AllOrders)
{
    public static async Task<AuditData> ReadAsync(ServiceDatabases databases, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var orders = databases.ReadAsync(databases.Orders(), db => ReadOrdersAsync(db, since, cancellationToken), cancellationToken);
        var payments = databases.ReadAsync(databases.Payments(), db => ReadPaymentsAsync(db, cancellationToken), cancellationToken);
        var shipments = databases.ReadAsync(databases.Shipping(), db => ReadShipmentsAsync(db, cancellationToken), cancellationToken);
        var inventory = databases.ReadAsync(databases.Inventory(), db => ReadInventoryAsync(db, cancellationToken), cancellationToken);
        var notifications = databases.ReadAsync(databases.Notifications(), db => ReadNotificationsAsync(db, cancellationToken), cancellationToken);
        await Task.WhenAll(orders, payments, shipments, inventory, notifications);

        var (orderRows, sagasWithoutOrder) = await orders;
        var (reservations, skus) = await inventory;
        return new AuditData(orderRows, sagasWithoutOrder, await payments, await shipments, reservations, await notifications, skus,
            AllOrders: since is null);
    }

    static async Task<(IReadOnlyList<OrderRow>, IReadOnlyList<Guid>)> ReadOrdersAsync(OrdersDbContext db, DateTimeOffset? since,
        CancellationToken cancellationToken)
    {
        var accepted = since is { } from ? db.Orders.Where(x => x.CreatedAt >= from) : db.Orders;
        var orders = await accepted
            .LeftJoin(db.OrderStates, order => order.Id, saga => saga.CorrelationId, (order, saga) => new OrderRow(
                order.Id, order.CreatedAt, order.Total, order.Lines.Sum(line => line.Quantity),
                saga == null ? null : saga.CurrentState, saga == null ? null : saga.CancellationReason,
                saga == null ? null : saga.UpdatedAt))
            .ToListAsync(cancellationToken);

        var sagasWithoutOrder = since is null
            ? await db.OrderStates.Where(saga => !db.Orders.Any(order => order.Id == saga.CorrelationId))
                .Select(saga => saga.CorrelationId).ToListAsync(cancellationToken)
            : [];
        return (orders, sagasWithoutOrder);
    }

    static async Task<IReadOnlyList<PaymentTotals>> ReadPaymentsAsync(PaymentsDbContext db, CancellationToken cancellationToken) =>
        await db.Payments.GroupBy(x => x.OrderId)
            .Select(g => new PaymentTotals(g.Key,
                g.Count(x => x.Kind == PaymentRecordKind.Capture),
                g.Where(x => x.Kind == PaymentRecordKind.Capture).Sum(x => x.Amount),
                g.Count(x => x.Kind == PaymentRecordKind.Refund),
                g.Where(x => x.Kind == PaymentRecordKind.Refund).Sum(x => x.Amount)))
            .ToListAsync(cancellationToken);

    static async Task<IReadOnlyList<ShipmentTotals>> ReadShipmentsAsync(ShippingDbContext db, CancellationToken cancellationToken) =>
        await db.Shipments.GroupBy(x => x.OrderId)
            .Select(g => new ShipmentTotals(g.Key, g.Count(), g.Count(x => x.Status == ShipmentStatus.Created)))
            .ToListAsync(cancellationToken);

    static async Task<IReadOnlyList<NotificationCount>> ReadNotificationsAsync(NotificationsDbContext db, CancellationToken cancellationToken) =>
        await db.Notifications.GroupBy(x => new { x.OrderId, x.Kind })
            .Select(g => new NotificationCount(g.Key.OrderId, g.Key.Kind, g.Count()))
            .ToListAsync(cancellationToken);

    static async Task<(IReadOnlyList<ReservationRow>, IReadOnlyList<SkuRow>)> ReadInventoryAsync(InventoryDbContext db,
        CancellationToken cancellationToken)
    {
        var reservations = await db.Reservations
            .Select(x => new ReservationRow(x.OrderId, x.Status, x.Lines.Sum(line => line.Quantity)))
            .ToListAsync(cancellationToken);

        var stock = await db.Stock.ToDictionaryAsync(x => x.Sku, cancellationToken);
        var received = await db.Adjustments.GroupBy(x => x.Sku)
            .Select(g => new { Sku = g.Key, Quantity = g.Sum(x => (long)x.Quantity) })
            .ToDictionaryAsync(x => x.Sku, x => x.Quantity, cancellationToken);
        var lines = await db.Set<ReservationLine>()
            .Join(db.Reservations, line => line.OrderId, reservation => reservation.OrderId,
                (line, reservation) => new { line.Sku, line.Quantity, reservation.Status })
            .GroupBy(x => x.Sku)
            .Select(g => new
            {
                Sku = g.Key,
                Committed = g.Where(x => x.Status == ReservationStatus.Committed).Sum(x => (long)x.Quantity),
                Held = g.Where(x => x.Status == ReservationStatus.Reserved).Sum(x => (long)x.Quantity),
            })
            .ToDictionaryAsync(x => x.Sku, cancellationToken);

        var skus = stock.Keys.Union(received.Keys).Union(lines.Keys).Order(StringComparer.Ordinal)
            .Select(sku => new SkuRow(sku,
                stock.GetValueOrDefault(sku)?.OnHand ?? 0,
                stock.GetValueOrDefault(sku)?.Reserved ?? 0,
                received.GetValueOrDefault(sku),
                lines.GetValueOrDefault(sku)?.Committed ?? 0,
                lines.GetValueOrDefault(sku)?.Held ?? 0))
            .ToList();
        return (reservations, skus);
    }
}
