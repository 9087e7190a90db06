using MassTransit;

namespace Shop.Contracts;

/// <summary>An order was accepted by the Orders API. Starts the order saga.</summary>
/// <remarks><see cref="PaymentToken"/> is an opaque gateway token, never a card number.</remarks>
[MessageUrn("shop:orders:order-submitted:v1")]
public sealed record OrderSubmitted(
    Guid OrderId,
    string CustomerId,
    string Email,
    IReadOnlyList<OrderLine> Items,
    decimal Total,
    string PaymentToken,
    ShippingAddress ShippingAddress,
    DateTimeOffset SubmittedAt);
