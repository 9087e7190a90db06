using MassTransit;

namespace Shop.Contracts;

/// <summary>
/// Version 1 of <see cref="OrderSubmitted"/>, which carried the payment token. No longer published; still consumed by
/// the saga so that messages written before the upgrade (outboxes, queues, <c>_error</c>) drain. Remove once none are left.
/// </summary>
/// <remarks><see cref="PaymentToken"/> is an opaque gateway token, never a card number.</remarks>
[MessageUrn("shop:orders:order-submitted:v1")]
public sealed record OrderSubmittedV1(
    Guid OrderId,
    string CustomerId,
    string Email,
    IReadOnlyList<OrderLine> Items,
    decimal Total,
    string PaymentToken,
    ShippingAddress ShippingAddress,
    DateTimeOffset SubmittedAt);
