namespace Shop.Orders.Apis;

/// <summary>
/// POST /orders. Every member is nullable so that a missing field is reported by name, not as a parse error. The customer
/// is the token's subject: a <c>customerId</c> here is an unknown field (400).
/// </summary>
public sealed record SubmitOrderRequest(
    string? Email,
    IReadOnlyList<SubmitOrderItem?>? Items,
    string? PaymentToken,
    SubmitShippingAddress? ShippingAddress);

/// <summary>One line: which SKU and how many. No price: every line is priced from the catalog (a unitPrice is refused).</summary>
public sealed record SubmitOrderItem(string? Sku, int? Quantity);

public sealed record SubmitShippingAddress(string? Line1, string? City, string? PostalCode, string? Country);

/// <summary>The answer to an accepted order (and to its idempotent retries).</summary>
public sealed record OrderAccepted(Guid OrderId, string Status);

public sealed record OrderDetails(
    Guid OrderId,
    string Status,
    string? CancellationReason,
    decimal Total,
    IReadOnlyList<OrderItemDetails> Items,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    Guid? PaymentId,
    string? TrackingNumber);

public sealed record OrderItemDetails(string Sku, int Quantity, decimal UnitPrice);

public sealed record CancelAccepted(Guid OrderId, string Status);

/// <summary>GET /orders/{id}/history: the order's timeline, oldest first.</summary>
public sealed record OrderHistory(Guid OrderId, IReadOnlyList<OrderHistoryEntry> Entries);

/// <summary>One line of the timeline: Kind is Received, Sent, Transitioned, Faulted or OperatorAction (Scheduled and Unscheduled in
/// timelines written before deadlines moved onto the order row).</summary>
public sealed record OrderHistoryEntry(int Sequence, DateTimeOffset At, string Kind, string Name, string? Detail);
