using Shop.Shipping.Domain;

namespace Shop.Shipping.Apis;

public sealed record ShipmentResponse(
    Guid ShipmentId,
    Guid OrderId,
    string? TrackingNumber,
    ShipmentStatus Status,
    string? Country,
    DateTimeOffset CreatedAt,
    string? Reason);
