using MassTransit;

namespace Shop.Contracts;

/// <summary>The saga's stock reservation deadline passed without an answer from Inventory. Scheduled by the order saga to itself.</summary>
[MessageUrn("shop:orders:stock-reservation-timeout-expired:v1")]
public sealed record StockReservationTimeoutExpired(Guid OrderId);
