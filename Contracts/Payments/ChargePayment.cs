using MassTransit;

namespace Shop.Contracts;

/// <summary>
/// Capture <see cref="Amount"/> for the order with the customer's gateway token. At most one capture per order.
/// <see cref="PaymentToken"/> is sealed for Payments (<c>pt1.…</c>, Shop.Messaging.PaymentTokens: ciphertext bound to the
/// order id that only Payments opens), so this message, its faults, error queues and redelivery rows never hold the token
/// itself. A token in clear is a message from before sealing; Payments seals it on arrival (docs/security.md#payment-token).
/// </summary>
[MessageUrn("shop:payments:charge-payment:v1")]
public sealed record ChargePayment(Guid OrderId, string CustomerId, decimal Amount, string PaymentToken);
