using MassTransit;

namespace Shop.Contracts;

/// <summary>The order's payment was captured.</summary>
[MessageUrn("shop:payments:payment-captured:v1")]
public sealed record PaymentCaptured(Guid OrderId, Guid PaymentId, decimal Amount, DateTimeOffset CapturedAt);
