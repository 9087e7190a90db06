using MassTransit;

namespace Shop.Contracts;

/// <summary>
/// The order's reserved stock was committed. No longer published (nobody consumed it; docs/performance.md); kept as a
/// contract name the signing rules and their tests refer to.
/// </summary>
[MessageUrn("shop:inventory:stock-committed:v1")]
public sealed record StockCommitted(Guid OrderId, DateTimeOffset CommittedAt);
