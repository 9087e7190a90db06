using MassTransit;

namespace Shop.Contracts;

/// <summary>Compensation: refund whatever was captured for the order, and void a charge still pending. Idempotent.</summary>
[MessageUrn("shop:payments:refund-payment:v1")]
public sealed record RefundPayment(Guid OrderId, string Reason);
