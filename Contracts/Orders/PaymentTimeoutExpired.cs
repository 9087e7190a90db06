using MassTransit;

namespace Shop.Contracts;

/// <summary>The saga's payment deadline passed. Scheduled by the order saga to itself.</summary>
[MessageUrn("shop:orders:payment-timeout-expired:v1")]
public sealed record PaymentTimeoutExpired(Guid OrderId);
