using MassTransit;

namespace Shop.Contracts;

/// <summary>The order's payment was captured. <see cref="PaymentId"/> is the shop's own payment id, never the provider's charge id.</summary>
[MessageUrn("shop:payments:payment-captured:v1")]
public sealed record PaymentCaptured(Guid OrderId, Guid PaymentId, decimal Amount, DateTimeOffset CapturedAt);
