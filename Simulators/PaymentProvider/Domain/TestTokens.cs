namespace Shop.PaymentProvider.Domain;

/// <summary>Payment tokens with a scripted outcome, as Stripe's test cards; any other token is captured.</summary>
public static class TestTokens
{
    public const string Visa = "tok_visa";
    public const string ChargeDeclined = "tok_chargeDeclined";

    /// <summary>The first <see cref="ScriptedCharges.ProcessingErrorAttempts"/> attempts of a key answer 503 and store nothing.</summary>
    public const string ProcessingError = "tok_processingError";

    /// <summary>Stored as captured, answered only after <c>Provider:SlowDelay</c>.</summary>
    public const string Slow = "tok_slow";

    /// <summary>Stored as captured, never answered: only the lookups reveal it.</summary>
    public const string Timeout = "tok_timeout";

    /// <summary>
    /// Stored as captured, answered 409 <c>idempotency_request_in_progress</c> — what a Stripe-like provider answers a
    /// request racing another with the same key, while that one captures. Only the lookups and a void reveal the capture.
    /// </summary>
    public const string CapturedThenConflict = "tok_capturedThenConflict";

    /// <summary>Stored as captured, answered 401 — a gateway in front of the provider refusing this attempt after an earlier one got through.</summary>
    public const string CapturedThenUnauthorized = "tok_capturedThenUnauthorized";

    /// <summary>Nothing stored, answered 403 <c>gateway_rejected</c>: a refusal with nothing behind it.</summary>
    public const string GatewayRejected = "tok_gatewayRejected";
}

/// <summary>The outcome a new charge gets from its token and amount.</summary>
public static class ScriptedCharges
{
    /// <summary>Larger amounts are declined (<see cref="DeclineCodes.AmountTooLarge"/>); this one still captures.</summary>
    public const decimal MaxAmount = 10_000.00m;

    public const int ProcessingErrorAttempts = 2;

    public static (ChargeStatus Status, string? DeclineCode) Decide(string paymentToken, decimal amount) =>
        paymentToken switch
        {
            TestTokens.ChargeDeclined => (ChargeStatus.Declined, DeclineCodes.CardDeclined),
            _ when amount > MaxAmount => (ChargeStatus.Declined, DeclineCodes.AmountTooLarge),
            _ => (ChargeStatus.Captured, null),
        };

    /// <summary>How the answer to a charge request with this token is delivered.</summary>
    public static AnswerDelivery DeliveryFor(string paymentToken) => paymentToken switch
    {
        TestTokens.Slow => AnswerDelivery.Slow,
        TestTokens.Timeout => AnswerDelivery.Never,
        TestTokens.CapturedThenConflict => AnswerDelivery.Conflict,
        TestTokens.CapturedThenUnauthorized => AnswerDelivery.Unauthorized,
        _ => AnswerDelivery.Prompt,
    };
}

public enum AnswerDelivery
{
    Prompt,
    Slow,
    Never,

    /// <summary>A 409 instead of the charge (it is stored all the same).</summary>
    Conflict,

    /// <summary>A 401 instead of the charge (it is stored all the same).</summary>
    Unauthorized,
}
