namespace Shop.PaymentProvider.Domain;

/// <summary>A refund of (part of) a captured charge (table <c>Refunds</c>), one per idempotency key of its own.</summary>
public sealed class Refund
{
    public Guid RefundId { get; init; }
    public Guid ChargeId { get; init; }
    public required string IdempotencyKey { get; init; }
    public decimal Amount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
