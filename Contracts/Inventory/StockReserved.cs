using MassTransit;

namespace Shop.Contracts;

/// <summary>Every line of the order is reserved.</summary>
[MessageUrn("shop:inventory:stock-reserved:v1")]
public sealed record StockReserved(Guid OrderId, DateTimeOffset ReservedAt);
