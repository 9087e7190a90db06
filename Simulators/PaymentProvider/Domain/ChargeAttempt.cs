namespace Shop.PaymentProvider.Domain;

/// <summary>
/// How many times a charge key was attempted before it stored a charge (table <c>ChargeAttempts</c>); counted for
/// <see cref="TestTokens.ProcessingError"/> only, durably, so its failures are scripted per key across restarts.
/// </summary>
public sealed class ChargeAttempt
{
    public required string IdempotencyKey { get; init; }

    /// <summary>A concurrency token: two attempts counted at once cannot both write the same next number.</summary>
    public int Attempts { get; set; }
}
