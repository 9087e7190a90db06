using MassTransit;

namespace Shop.Contracts;

/// <summary>Ship the order's lines to the address. One shipment per order.</summary>
[MessageUrn("shop:shipping:create-shipment:v1")]
public sealed record CreateShipment(Guid OrderId, ShippingAddress Address, IReadOnlyList<StockLine> Lines);
