using MassTransit;

namespace Shop.Contracts;

/// <summary>The order's reserved stock was committed.</summary>
[MessageUrn("shop:inventory:stock-committed:v1")]
public sealed record StockCommitted(Guid OrderId, DateTimeOffset CommittedAt);
