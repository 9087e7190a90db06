using Shop.Inventory.Domain;
using Shop.Notifications.Domain;
using Shop.Orders.Saga;

namespace Shop.Audit;

/// <summary>The invariants of each order across the five services.</summary>
public static class OrderChecks
{
    const string Completed = nameof(OrderStateMachine.Completed);
    const string Cancelled = nameof(OrderStateMachine.Cancelled);
    const string Compensating = nameof(OrderStateMachine.Compensating);

    public static IReadOnlyList<AuditCheck> Run(AuditData data, AuditOptions options, DateTimeOffset now)
    {
        var saga = new AuditCheck("saga", "every accepted order has a saga, every saga an accepted order");
        var terminal = new AuditCheck("terminal", "every order is Completed or Cancelled");
        var singleCapture = new AuditCheck("single-capture", "at most one capture per order");
        var netsToZero = new AuditCheck("cancelled-nets-to-zero", "a cancelled order's refunds equal its captures");
        var compensated = new AuditCheck("cancelled-compensated", "a cancelled order holds no stock and has no live shipment");
        var fulfilled = new AuditCheck("completed-fulfilled", "a completed order has one capture of its total, one shipment, its stock committed");
        var notified = new AuditCheck("notifications", "exactly one notification per order, of the kind of its final state");

        var payments = data.Payments.ToDictionary(x => x.OrderId);
        var shipments = data.Shipments.ToDictionary(x => x.OrderId);
        var reservations = data.Reservations.ToDictionary(x => x.OrderId);
        var notifications = data.Notifications.ToLookup(x => x.OrderId);

        foreach (var order in data.Orders)
        {
            saga.Count();
            if (order.State is null)
            {
                saga.Report(order.Id, "accepted by the API but has no saga (no OrderState row)");
                continue;
            }

            var payment = payments.GetValueOrDefault(order.Id) ?? PaymentTotals.None(order.Id);
            var shipment = shipments.GetValueOrDefault(order.Id);
            var reservation = reservations.GetValueOrDefault(order.Id);

            singleCapture.Count();
            if (payment.Captures > 1)
                singleCapture.Report(order.Id, $"{payment.Captures} captures, {payment.Captured:0.00} captured");

            terminal.Count();
            switch (order.State)
            {
                case Completed:
                    fulfilled.Count();
                    CheckFulfilled(fulfilled, order, payment, shipment, reservation);
                    break;
                case Cancelled:
                    netsToZero.Count();
                    if (payment.Captured != payment.Refunded || payment.Captures != payment.Refunds)
                        netsToZero.Report(order.Id, $"cancelled ({order.CancellationReason}) with {Money(payment)}");
                    compensated.Count();
                    CheckCompensated(compensated, order, shipment, reservation);
                    break;
                // Still undoing its steps: open like any other state (the cancelled-order checks apply once it is
                // Cancelled), reported with how long it has been compensating.
                case Compensating:
                    terminal.Report(order.Id, $"open in {Compensating} ({order.CancellationReason}) for {Age(now - order.CreatedAt)}, " +
                        $"compensating for {Age(now - (order.StateSince ?? order.CreatedAt))} (created {order.CreatedAt:u})",
                        violation: !options.AllowOpen);
                    break;
                default:
                    terminal.Report(order.Id, $"open in {order.State} for {Age(now - order.CreatedAt)} (created {order.CreatedAt:u})",
                        violation: !options.AllowOpen);
                    break;
            }

            notified.Count();
            CheckNotified(notified, order, notifications[order.Id]);
        }

        foreach (var orderId in data.SagasWithoutOrder)
            saga.Report(orderId, "saga without an order accepted by the API");

        return [saga, terminal, singleCapture, netsToZero, compensated, fulfilled, notified, KnownOrders(data)];
    }

    static void CheckFulfilled(AuditCheck check, OrderRow order, PaymentTotals payment, ShipmentTotals? shipment, ReservationRow? reservation)
    {
        if (payment.Captures != 1 || payment.Captured != order.Total || payment.Refunds != 0)
            check.Report(order.Id, $"completed with {Money(payment)} for a total of {order.Total:0.00}");
        if (shipment is not { Shipments: 1, Live: 1 })
            check.Report(order.Id, $"completed with {shipment?.Live ?? 0} live shipments of {shipment?.Shipments ?? 0}");
        if (reservation?.Status != ReservationStatus.Committed)
            check.Report(order.Id, $"completed but its stock is {reservation?.Status.ToString() ?? "not reserved"}, not Committed");
        else if (reservation.Quantity != order.Quantity)
            check.Report(order.Id, $"completed with {reservation.Quantity} units committed for {order.Quantity} ordered");
    }

    static void CheckCompensated(AuditCheck check, OrderRow order, ShipmentTotals? shipment, ReservationRow? reservation)
    {
        if (shipment?.Live > 0)
            check.Report(order.Id, $"cancelled ({order.CancellationReason}) with {shipment.Live} live shipments");
        if (reservation?.Status is ReservationStatus.Reserved or ReservationStatus.Committed)
            check.Report(order.Id, $"cancelled ({order.CancellationReason}) but its stock is {reservation.Status}");
    }

    static void CheckNotified(AuditCheck check, OrderRow order, IEnumerable<NotificationCount> sent)
    {
        var expected = order.State switch
        {
            Completed => NotificationKind.Completed,
            Cancelled => NotificationKind.Cancelled,
            _ => (NotificationKind?)null,
        };
        var counts = sent.ToDictionary(x => x.Kind, x => x.Count);
        foreach (var kind in Enum.GetValues<NotificationKind>())
        {
            var count = counts.GetValueOrDefault(kind);
            var wanted = kind == expected ? 1 : 0;
            if (count != wanted)
                check.Report(order.Id, $"{count} {kind} notifications for an order in {order.State}, expected {wanted}");
        }
    }

    /// <summary>Rows of the other services must belong to accepted orders; only meaningful when every order was read.</summary>
    static AuditCheck KnownOrders(AuditData data)
    {
        var check = new AuditCheck("known-orders", "every payment, reservation, shipment and notification belongs to an accepted order");
        if (!data.AllOrders)
            return check;

        var accepted = data.Orders.Select(x => x.Id).ToHashSet();
        void Look(string service, IEnumerable<Guid> orderIds)
        {
            foreach (var orderId in orderIds)
            {
                check.Count();
                if (!accepted.Contains(orderId))
                    check.Report(orderId, $"{service} has records of an order the API never accepted");
            }
        }

        Look("Payments", data.Payments.Select(x => x.OrderId));
        Look("Inventory", data.Reservations.Select(x => x.OrderId));
        Look("Shipping", data.Shipments.Select(x => x.OrderId));
        Look("Notifications", data.Notifications.Select(x => x.OrderId).Distinct());
        return check;
    }

    static string Money(PaymentTotals payment) =>
        $"{payment.Captures} captures ({payment.Captured:0.00}) and {payment.Refunds} refunds ({payment.Refunded:0.00})";

    static string Age(TimeSpan age) => age.TotalHours >= 1
        ? $"{(int)age.TotalHours}h{age.Minutes:00}m"
        : $"{age.Minutes}m{age.Seconds:00}s";
}
