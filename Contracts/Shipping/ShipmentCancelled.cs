using MassTransit;

namespace Shop.Contracts;

/// <summary>The order's shipment (if any) was cancelled, and none will be created for it.</summary>
[MessageUrn("shop:shipping:shipment-cancelled:v1")]
public sealed record ShipmentCancelled(Guid OrderId, DateTimeOffset CancelledAt);
