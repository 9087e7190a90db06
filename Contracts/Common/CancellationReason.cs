namespace Shop.Contracts;

/// <summary>Why an order ended <c>Cancelled</c>. Serialized by name.</summary>
public static class CancellationReason
{
    public const string OutOfStock = nameof(OutOfStock);
    public const string PaymentDeclined = nameof(PaymentDeclined);
    public const string PaymentTimeout = nameof(PaymentTimeout);
    public const string ShippingFailed = nameof(ShippingFailed);
    public const string CustomerCancelled = nameof(CustomerCancelled);

    public static readonly IReadOnlyList<string> All =
        [OutOfStock, PaymentDeclined, PaymentTimeout, ShippingFailed, CustomerCancelled];
}
