using MassTransit;

namespace Shop.Contracts;

/// <summary>The order cannot be shipped (for example to an unsupported country).</summary>
[MessageUrn("shop:shipping:shipment-failed:v1")]
public sealed record ShipmentFailed(Guid OrderId, string Reason, DateTimeOffset FailedAt);
