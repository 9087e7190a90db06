using Shop.PaymentProvider.Domain;

namespace Shop.PaymentProvider.Apis;

/// <summary>Body of <c>POST /charges</c>. Nullable so that a missing field is a 400 naming it, not a silent default.</summary>
public sealed record ChargeRequest(Guid? OrderId, decimal? Amount, string? PaymentToken);

/// <summary>Body of <c>POST /charges/voids</c>.</summary>
public sealed record VoidRequest(Guid? OrderId);

/// <summary>Body of <c>POST /charges/{chargeId}/refunds</c>.</summary>
public sealed record RefundRequest(decimal? Amount);

/// <summary>The charge object every charge endpoint answers with.</summary>
public sealed record ChargeView(Guid ChargeId, string IdempotencyKey, Guid OrderId, decimal Amount, decimal AmountRefunded, string Status,
    string? DeclineCode, DateTimeOffset CreatedAt)
{
    public static ChargeView From(Charge charge) => new(charge.ChargeId, charge.IdempotencyKey, charge.OrderId, charge.Amount,
        charge.AmountRefunded, charge.Status.ToWireName(), charge.DeclineCode, charge.CreatedAt);
}

public sealed record RefundView(Guid RefundId, Guid ChargeId, decimal Amount, DateTimeOffset CreatedAt)
{
    public static RefundView From(Refund refund) => new(refund.RefundId, refund.ChargeId, refund.Amount, refund.CreatedAt);
}

/// <summary>The <c>code</c> member of the provider's problem answers, for a client to branch on.</summary>
public static class ProblemCodes
{
    public const string ProcessingError = "processing_error";
    public const string IdempotencyKeyReused = "idempotency_key_reused";
    public const string ChargeAlreadyCaptured = "charge_already_captured";
    public const string ChargeNotCaptured = "charge_not_captured";
    public const string AmountExceedsCaptured = "amount_exceeds_captured";
    public const string ChargeNotFound = "charge_not_found";
    public const string InvalidApiKey = "invalid_api_key";
    public const string ReadOnlyKey = "read_only_key";
    public const string RequestInProgress = "idempotency_request_in_progress";
    public const string GatewayUnauthorized = "gateway_unauthorized";
    public const string GatewayRejected = "gateway_rejected";
}
