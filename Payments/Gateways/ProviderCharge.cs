namespace Shop.Payments.Gateways;

/// <summary>A charge as the payment provider records it (its own truth).</summary>
public sealed record ProviderCharge(Guid ChargeId, string IdempotencyKey, Guid OrderId, decimal Amount, decimal AmountRefunded,
    string Status, string? DeclineCode, DateTimeOffset CreatedAt)
{
    public const string Captured = "captured";
    public const string Declined = "declined";
    public const string Voided = "voided";

    public bool IsCaptured => Status == Captured;
}

/// <summary>A refund as the payment provider records it.</summary>
public sealed record ProviderRefund(Guid RefundId, Guid ChargeId, decimal Amount, DateTimeOffset CreatedAt);

/// <summary>
/// The provider did not give an answer (timeout, connection lost, server error after the retries): what the request
/// did is unknown until it is looked up by its idempotency key.
/// </summary>
public sealed class ProviderOutcomeUnknownException(string message, Exception? innerException = null)
    : Exception(message, innerException);

/// <summary>The provider refused the request (a 4xx): it did nothing, and the same request will be refused again.</summary>
public sealed class ProviderRejectedException(string message, string? code) : Exception(message)
{
    /// <summary>The provider's error code (e.g. <c>amount_exceeds_captured</c>), when it gave one.</summary>
    public string? Code { get; } = code;
}
