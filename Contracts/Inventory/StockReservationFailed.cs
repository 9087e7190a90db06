using MassTransit;

namespace Shop.Contracts;

/// <summary>At least one line could not be reserved; nothing was reserved.</summary>
[MessageUrn("shop:inventory:stock-reservation-failed:v1")]
public sealed record StockReservationFailed(Guid OrderId, IReadOnlyList<string> UnavailableSkus, string Reason);
