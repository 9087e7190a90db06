namespace Shop.Orders.Domain;

/// <summary>An order exactly as the customer submitted it. Its progress lives in the saga's <c>OrderState</c> row.</summary>
public sealed class Order
{
    public Guid Id { get; init; }
    public required string CustomerId { get; init; }
    public required string Email { get; init; }
    public decimal Total { get; init; }
    public List<OrderItem> Lines { get; init; } = [];
    public required string ShippingLine1 { get; init; }
    public required string ShippingCity { get; init; }
    public required string ShippingPostalCode { get; init; }
    public required string ShippingCountry { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The customer's payment token sealed for Payments (<c>SealedPaymentToken</c>: only Payments can open it), kept here
    /// only until the saga takes it (in the transaction that starts the saga): it is never published. Null once taken.
    /// </summary>
    public string? PaymentToken { get; set; }

    /// <summary>The client's <c>Idempotency-Key</c> header, unique when present.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the normalized request without its payment token: a retry with the same key must carry the same order.</summary>
    public required string RequestHash { get; init; }
}

/// <summary>One line of an <see cref="Order"/>, at the catalog price it was priced at when submitted.</summary>
public sealed class OrderItem
{
    public required string Sku { get; init; }
    public int Quantity { get; init; }
    public decimal UnitPrice { get; init; }
}
