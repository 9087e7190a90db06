namespace Shop.Orders.Domain;

/// <summary>The order saga's settings. Bound from the <c>Orders</c> configuration section.</summary>
public sealed class OrdersOptions
{
    public const string Section = "Orders";

    /// <summary>How long the saga waits for Payments to answer a charge before it cancels the order.</summary>
    public TimeSpan PaymentTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
