using MassTransit;

namespace Shop.Contracts;

/// <summary>The order's reservation (if any) was released.</summary>
[MessageUrn("shop:inventory:stock-released:v1")]
public sealed record StockReleased(Guid OrderId, DateTimeOffset ReleasedAt);
