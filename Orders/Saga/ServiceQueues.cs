namespace Shop.Orders.Saga;

/// <summary>
/// Where the saga sends its commands: each command's own exchange (MassTransit's name for the message type), which only
/// the consuming service binds to its queue when it starts. Not the queue itself: RabbitMQ's permissions match queue
/// and exchange names alike, so a sender allowed to declare or write <c>charge-payment</c> could also delete or bind
/// Payments' queue of that name; the command's exchange is a name only Orders may write (scripts/broker-permissions.tsv).
/// Explicit addresses rather than the static EndpointConvention, which is process-wide.
/// </summary>
public static class ServiceQueues
{
    public const string OrderSagaQueue = "order-state";

    /// <summary>
    /// The saga endpoint's exchange (same name as its queue, bound to it), not <c>queue:</c>: a <c>queue:</c> address
    /// declares the queue on send, without the quorum argument it has in cluster mode (PRECONDITION_FAILED).
    /// </summary>
    public static readonly Uri OrderSaga = new($"exchange:{OrderSagaQueue}");
    public static readonly Uri ReserveStock = CommandExchange<Contracts.ReserveStock>();
    public static readonly Uri ReleaseStock = CommandExchange<Contracts.ReleaseStock>();
    public static readonly Uri CommitStock = CommandExchange<Contracts.CommitStock>();
    public static readonly Uri ChargePayment = CommandExchange<Contracts.ChargePayment>();
    public static readonly Uri RefundPayment = CommandExchange<Contracts.RefundPayment>();
    public static readonly Uri CreateShipment = CommandExchange<Contracts.CreateShipment>();
    public static readonly Uri CancelShipment = CommandExchange<Contracts.CancelShipment>();

    /// <summary>Not the saga's: Orders asks Inventory for the whole catalog when its price list is empty.</summary>
    public static readonly Uri PublishCatalog = CommandExchange<Contracts.PublishCatalog>();

    /// <summary><c>exchange:Shop.Contracts:ChargePayment</c>: the exchange MassTransit names for the message type.</summary>
    static Uri CommandExchange<T>() => new($"exchange:{typeof(T).Namespace}:{typeof(T).Name}");
}
