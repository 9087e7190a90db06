namespace Shop.Contracts;

/// <summary>Why an order ended <c>Cancelled</c>. Serialized by name.</summary>
public static class CancellationReason
{
    public const string OutOfStock = nameof(OutOfStock);
    public const string PaymentDeclined = nameof(PaymentDeclined);
    public const string PaymentTimeout = nameof(PaymentTimeout);
    public const string ShippingFailed = nameof(ShippingFailed);
    public const string CustomerCancelled = nameof(CustomerCancelled);

    /// <summary>Inventory did not answer the reservation within <c>Orders:Deadlines:StockReservation</c>.</summary>
    public const string StockTimeout = nameof(StockTimeout);

    /// <summary>Shipping did not answer within <c>Orders:Deadlines:Shipment</c>.</summary>
    public const string ShipmentTimeout = nameof(ShipmentTimeout);

    /// <summary>Payments captured an amount other than the order's total; it is refunded.</summary>
    public const string PaymentAmountMismatch = nameof(PaymentAmountMismatch);
}
