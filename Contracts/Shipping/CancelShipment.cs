using MassTransit;

namespace Shop.Contracts;

/// <summary>Compensation: the order was cancelled; cancel its shipment, or refuse one not created yet. Idempotent.</summary>
[MessageUrn("shop:shipping:cancel-shipment:v1")]
public sealed record CancelShipment(Guid OrderId, string Reason);
