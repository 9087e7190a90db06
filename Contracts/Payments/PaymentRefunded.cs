using MassTransit;

namespace Shop.Contracts;

/// <summary>The order's capture was refunded, or its pending charge voided (<see cref="Amount"/> 0).</summary>
[MessageUrn("shop:payments:payment-refunded:v1")]
public sealed record PaymentRefunded(Guid OrderId, Guid? PaymentId, decimal Amount, DateTimeOffset RefundedAt);
