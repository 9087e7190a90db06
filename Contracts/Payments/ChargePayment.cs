using MassTransit;

namespace Shop.Contracts;

/// <summary>Capture <see cref="Amount"/> for the order with the customer's gateway token. At most one capture per order.</summary>
[MessageUrn("shop:payments:charge-payment:v1")]
public sealed record ChargePayment(Guid OrderId, string CustomerId, decimal Amount, string PaymentToken);
