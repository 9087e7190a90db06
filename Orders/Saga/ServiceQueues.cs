namespace Shop.Orders.Saga;

/// <summary>
/// Where the saga sends its commands: each command consumer's own queue (its definition's kebab-case name). Explicit
/// addresses rather than the static EndpointConvention, which is process-wide.
/// </summary>
public static class ServiceQueues
{
    public const string OrderSagaQueue = "order-state";

    public static readonly Uri OrderSaga = new($"queue:{OrderSagaQueue}");
    public static readonly Uri ReserveStock = new("queue:reserve-stock");
    public static readonly Uri ReleaseStock = new("queue:release-stock");
    public static readonly Uri CommitStock = new("queue:commit-stock");
    public static readonly Uri ChargePayment = new("queue:charge-payment");
    public static readonly Uri RefundPayment = new("queue:refund-payment");
    public static readonly Uri CreateShipment = new("queue:create-shipment");
    public static readonly Uri CancelShipment = new("queue:cancel-shipment");

    /// <summary>Not the saga's: Orders asks Inventory for the whole catalog when its price list is empty.</summary>
    public static readonly Uri PublishCatalog = new("queue:publish-catalog");
}
