using System.Collections.Concurrent;
using MassTransit;

namespace Shop.Payments.Domain;

/// <summary>
/// An in-memory stand-in for the payment gateway, driven by Stripe-style test tokens. It is "the outside world": its
/// state (attempts, remembered charges) lives in this singleton and is not rolled back with our transactions.
/// </summary>
public sealed class FakePaymentGateway(TimeProvider clock) : IPaymentGateway
{
    /// <summary>Charges above this amount are declined.</summary>
    public const decimal MaxAmount = 10_000.00m;

    /// <summary>Attempts that fail with <see cref="GatewayUnavailableException"/> for <see cref="TestTokens.ProcessingError"/>.</summary>
    public const int ProcessingErrorAttempts = 2;

    readonly ConcurrentDictionary<Guid, int> _attempts = new();
    readonly ConcurrentDictionary<Guid, GatewayCharge> _charges = new();

    /// <summary>How many times a charge with this idempotency key was attempted.</summary>
    public int AttemptsFor(Guid idempotencyKey) => _attempts.GetValueOrDefault(idempotencyKey);

    public Task<GatewayCharge> ChargeAsync(Guid idempotencyKey, decimal amount, string paymentToken, CancellationToken cancellationToken)
    {
        var attempt = _attempts.AddOrUpdate(idempotencyKey, 1, (_, count) => count + 1);
        if (_charges.TryGetValue(idempotencyKey, out var earlier))
            return Task.FromResult(earlier);

        switch (paymentToken)
        {
            case TestTokens.Timeout:
                throw new GatewayTimeoutException($"The gateway did not answer charge {idempotencyKey}.");
            case TestTokens.ProcessingError when attempt <= ProcessingErrorAttempts:
                throw new GatewayUnavailableException($"processing_error on attempt {attempt} of charge {idempotencyKey}.");
        }

        var declineCode = paymentToken switch
        {
            TestTokens.ChargeDeclined => DeclineCodes.CardDeclined,
            _ when amount > MaxAmount => DeclineCodes.AmountTooLarge,
            _ when amount <= 0 => DeclineCodes.InvalidAmount,
            _ => null,
        };
        return Task.FromResult(_charges.GetOrAdd(idempotencyKey, new GatewayCharge(NewId.NextGuid(), declineCode, clock.GetUtcNow())));
    }
}

/// <summary>Payment tokens with a scripted outcome; any other token is captured.</summary>
public static class TestTokens
{
    public const string ChargeDeclined = "tok_chargeDeclined";
    public const string ProcessingError = "tok_processingError";
    public const string Timeout = "tok_timeout";
}

/// <summary>Why a charge was declined (the reason of <c>PaymentDeclined</c>).</summary>
public static class DeclineCodes
{
    public const string CardDeclined = "card_declined";
    public const string AmountTooLarge = "amount_too_large";
    public const string InvalidAmount = "invalid_amount";

    /// <summary>The order was cancelled (its payment voided) before the charge arrived.</summary>
    public const string Voided = "voided";
}
