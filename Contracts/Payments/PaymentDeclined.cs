using MassTransit;

namespace Shop.Contracts;

/// <summary>The gateway declined the order's payment; nothing was charged.</summary>
[MessageUrn("shop:payments:payment-declined:v1")]
public sealed record PaymentDeclined(Guid OrderId, string Reason, DateTimeOffset DeclinedAt);
