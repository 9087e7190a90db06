using MassTransit;

namespace Shop.Contracts;

/// <summary>
/// An order was accepted by the Orders API (published; starts the order saga). Version 2: no payment token — every
/// subscriber sees this event, so the token stays in Orders and reaches Payments only in <see cref="ChargePayment"/>.
/// Each line carries the catalog price the order was priced at.
/// </summary>
[MessageUrn("shop:orders:order-submitted:v2")]
public sealed record OrderSubmitted(
    Guid OrderId,
    string CustomerId,
    string Email,
    IReadOnlyList<OrderLine> Items,
    decimal Total,
    ShippingAddress ShippingAddress,
    DateTimeOffset SubmittedAt);
