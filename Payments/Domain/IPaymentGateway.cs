namespace Shop.Payments.Domain;

/// <summary>The external payment gateway (a fake one here: <see cref="FakePaymentGateway"/>).</summary>
public interface IPaymentGateway
{
    /// <summary>
    /// Charges <paramref name="amount"/> with the customer's token. <paramref name="idempotencyKey"/> makes a repeated
    /// call return the first call's charge instead of charging again.
    /// </summary>
    /// <exception cref="GatewayUnavailableException">The gateway failed this attempt; trying again may succeed.</exception>
    /// <exception cref="GatewayTimeoutException">No answer came; whether the card was charged is unknown.</exception>
    Task<GatewayCharge> ChargeAsync(Guid idempotencyKey, decimal amount, string paymentToken, CancellationToken cancellationToken);
}

/// <summary>The gateway's answer to a charge: captured, or declined with a decline code.</summary>
public sealed record GatewayCharge(Guid ChargeId, string? DeclineCode, DateTimeOffset At)
{
    public bool Captured => DeclineCode is null;
}

/// <summary>A transient gateway failure (Stripe's <c>processing_error</c>): the charge may be retried at once.</summary>
public sealed class GatewayUnavailableException(string message) : Exception(message);

/// <summary>The gateway did not answer in time.</summary>
public sealed class GatewayTimeoutException(string message) : Exception(message);
