using MassTransit;

namespace Shop.Contracts;

/// <summary>The saga's shipment deadline passed without an answer from Shipping. Scheduled by the order saga to itself.</summary>
[MessageUrn("shop:orders:shipment-timeout-expired:v1")]
public sealed record ShipmentTimeoutExpired(Guid OrderId);
