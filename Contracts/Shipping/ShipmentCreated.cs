using MassTransit;

namespace Shop.Contracts;

/// <summary>A shipment exists for the order.</summary>
[MessageUrn("shop:shipping:shipment-created:v1")]
public sealed record ShipmentCreated(Guid OrderId, Guid ShipmentId, string TrackingNumber, DateTimeOffset CreatedAt);
