using MassTransit;

namespace Shop.Contracts;

/// <summary>The customer asked to cancel the order. Sent by the Orders API to the order saga.</summary>
[MessageUrn("shop:orders:cancel-order:v1")]
public sealed record CancelOrder(Guid OrderId, DateTimeOffset RequestedAt);
