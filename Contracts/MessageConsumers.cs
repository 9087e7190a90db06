namespace Shop.Contracts;

/// <summary>
/// Which services consume each message — part of the contract beside <see cref="MessageSenders"/>. It decides who may
/// sign a <c>Fault&lt;T&gt;</c>: MassTransit publishes one when a consumer of <c>T</c> gives up, so only a service that
/// consumes <c>T</c> can have a reason to send it (docs/security.md). A message no service consumes (StockCommitted) is
/// absent: nobody may sign its fault. A new subscriber adds its name to the types it consumes.
/// </summary>
public static class MessageConsumers
{
    static readonly string[] Orders = [MessageSenders.Orders];
    static readonly string[] Inventory = [MessageSenders.Inventory];
    static readonly string[] Payments = [MessageSenders.Payments];
    static readonly string[] Shipping = [MessageSenders.Shipping];

    /// <summary>The order lifecycle events announced to subscribers beside the saga (choreography).</summary>
    static readonly string[] LifecycleSubscribers = [MessageSenders.Notifications, MessageSenders.Analytics];

    /// <summary>The saga's events that the analytics log keeps as well (docs/analytics.md).</summary>
    static readonly string[] OrdersAndAnalytics = [MessageSenders.Orders, MessageSenders.Analytics];

    public static IReadOnlyDictionary<Type, IReadOnlyList<string>> All { get; } = new Dictionary<Type, IReadOnlyList<string>>
    {
        // Commands, each to the service that handles it.
        [typeof(ReserveStock)] = Inventory,
        [typeof(ReleaseStock)] = Inventory,
        [typeof(CommitStock)] = Inventory,
        [typeof(PublishCatalog)] = Inventory,
        [typeof(ChargePayment)] = Payments,
        [typeof(RefundPayment)] = Payments,
        [typeof(CreateShipment)] = Shipping,
        [typeof(CancelShipment)] = Shipping,
        [typeof(CancelOrder)] = Orders,

        // Replies and events the saga (and Orders' price list) consumes, and the saga's own deadlines.
        [typeof(OrderSubmitted)] = OrdersAndAnalytics,
        [typeof(OrderSubmittedV1)] = OrdersAndAnalytics,
        [typeof(StockReserved)] = OrdersAndAnalytics,
        [typeof(StockReservationFailed)] = Orders,
        [typeof(StockReleased)] = OrdersAndAnalytics,
        [typeof(PaymentCaptured)] = OrdersAndAnalytics,
        [typeof(PaymentDeclined)] = Orders,
        [typeof(PaymentRefunded)] = OrdersAndAnalytics,
        [typeof(ShipmentCreated)] = OrdersAndAnalytics,
        [typeof(ShipmentFailed)] = Orders,
        [typeof(ShipmentCancelled)] = Orders,
        [typeof(ProductUpdated)] = Orders,
        [typeof(StockReservationTimeoutExpired)] = Orders,
        [typeof(PaymentTimeoutExpired)] = Orders,
        [typeof(ShipmentTimeoutExpired)] = Orders,
        [typeof(CompensationTimeoutExpired)] = Orders,

        // Lifecycle events.
        [typeof(OrderCompleted)] = LifecycleSubscribers,
        [typeof(OrderCancelled)] = LifecycleSubscribers,
    };
}
