using MassTransit;

namespace Shop.Contracts;

/// <summary>Compensation: give back whatever the order reserved. Idempotent; a no-op when nothing is reserved.</summary>
[MessageUrn("shop:inventory:release-stock:v1")]
public sealed record ReleaseStock(Guid OrderId, string Reason);
