using MassTransit;

namespace Shop.Contracts;

/// <summary>Reserve every line of the order, all or nothing. Idempotent per order.</summary>
[MessageUrn("shop:inventory:reserve-stock:v1")]
public sealed record ReserveStock(Guid OrderId, IReadOnlyList<StockLine> Lines);
