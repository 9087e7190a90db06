using MassTransit;

namespace Shop.Contracts;

/// <summary>The order shipped: its reserved stock leaves the warehouse (on hand and reserved both drop). Idempotent.</summary>
[MessageUrn("shop:inventory:commit-stock:v1")]
public sealed record CommitStock(Guid OrderId);
