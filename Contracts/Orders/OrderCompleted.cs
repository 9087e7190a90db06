using MassTransit;

namespace Shop.Contracts;

/// <summary>The order was reserved, paid and shipped.</summary>
[MessageUrn("shop:orders:order-completed:v1")]
public sealed record OrderCompleted(
    Guid OrderId,
    string CustomerId,
    string Email,
    decimal Total,
    string TrackingNumber,
    DateTimeOffset CompletedAt);
