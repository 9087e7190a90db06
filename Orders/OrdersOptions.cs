namespace Shop.Orders;

/// <summary>The order saga's settings. Bound from the <c>Orders</c> configuration section.</summary>
public sealed class OrdersOptions
{
    public const string Section = "Orders";

    /// <summary>How long the saga waits for Payments to answer a charge before it cancels the order.</summary>
    public TimeSpan PaymentTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The deadlines of the other waiting states (<c>Orders:Deadlines</c>).</summary>
    public OrderDeadlines Deadlines { get; set; } = new();

    /// <summary>
    /// The deadline poller wakes at the earliest deadline it has read, and at least this often to read the deadlines set
    /// meanwhile: how late, at most, such a deadline's timeout is sent.
    /// </summary>
    public TimeSpan DeadlinePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// An order in a non-terminal state for longer than this is stuck: <c>/health/ready</c> reports Degraded and
    /// <c>shop-admin orders stuck</c> lists it. Longer than every deadline, so a stuck order is one no deadline moved on.
    /// </summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the stuck-order gauges and health check re-read the saga table.</summary>
    public TimeSpan StuckSampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Requests per customer and window (<c>Orders:RateLimits</c>); the load test and fault suite raise them.</summary>
    public OrderRateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>How often one customer may submit and cancel.</summary>
public sealed class OrderRateLimitOptions
{
    public RateLimit Submit { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };
    public RateLimit Cancel { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };
}

/// <summary>At most <see cref="PermitLimit"/> requests in each <see cref="Window"/>.</summary>
public sealed class RateLimit
{
    public int PermitLimit { get; set; }
    public TimeSpan Window { get; set; }
}

/// <summary>How long the saga waits in each state for a service's answer (the payment's is <see cref="OrdersOptions.PaymentTimeout"/>).</summary>
public sealed class OrderDeadlines
{
    /// <summary>
    /// <c>Submitted</c>: Inventory's answer to ReserveStock. When it passes the order is cancelled (<c>StockTimeout</c>)
    /// and a ReleaseStock is sent, whose tombstone refuses the reservation if it is still to come.
    /// </summary>
    public TimeSpan StockReservation { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// <c>Paid</c>: Shipping's answer to CreateShipment. Longer than a command's redelivery schedule (5 s, 30 s, 2 min),
    /// so a carrier that recovers within the retries still ships. When it passes the order is cancelled
    /// (<c>ShipmentTimeout</c>): CancelShipment, RefundPayment and ReleaseStock are sent.
    /// </summary>
    public TimeSpan Shipment { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// <c>Compensating</c>: the confirmations of every compensation sent. When it passes the order is escalated — logged
    /// at error, counted (<c>shop_orders_compensation_overdue_total</c>), listed as stuck — and keeps waiting; the
    /// escalation repeats every period until the compensations are confirmed.
    /// </summary>
    public TimeSpan Compensation { get; set; } = TimeSpan.FromMinutes(3);
}
