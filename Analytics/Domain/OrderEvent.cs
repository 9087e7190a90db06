namespace Shop.Analytics.Domain;

/// <summary>
/// One lifecycle event of an order as the projections read it: its id, the producer's time, and the contract message
/// (<c>OrderSubmitted</c>, <c>StockReserved</c>, ...) already upcast to the version the projections understand.
/// </summary>
public sealed record OrderEvent(Guid EventId, Guid OrderId, DateTimeOffset OccurredAt, object Body);
