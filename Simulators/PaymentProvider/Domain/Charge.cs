namespace Shop.PaymentProvider.Domain;

/// <summary>
/// A charge at the provider (table <c>Charges</c>), one per idempotency key: the unique index on
/// <see cref="IdempotencyKey"/> is what makes a retried or concurrent request answer the first outcome instead of
/// charging twice. A void that arrives before its charge stores a <see cref="ChargeStatus.Voided"/> charge of 0 under
/// the key, so the late charge finds it and never captures.
/// </summary>
public sealed class Charge
{
    public Guid ChargeId { get; init; }
    public required string IdempotencyKey { get; init; }
    public Guid OrderId { get; init; }

    /// <summary>What was asked for (captured, or declined); 0 for a void stored before any charge.</summary>
    public decimal Amount { get; init; }

    /// <summary>Sum of the refunds; only ever raised by the guarded UPDATE of a refund, never above <see cref="Amount"/>.</summary>
    public decimal AmountRefunded { get; init; }

    public ChargeStatus Status { get; init; }

    /// <summary>Why a declined charge was declined (<see cref="DeclineCodes"/>); null otherwise.</summary>
    public string? DeclineCode { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A charge's state; stored and sent by its wire name (<c>captured</c>, <c>declined</c>, <c>voided</c>).</summary>
public enum ChargeStatus
{
    Captured,
    Declined,
    Voided,
}

public static class ChargeStatusNames
{
    public const int MaxLength = 16;

    public static string ToWireName(this ChargeStatus status) => status switch
    {
        ChargeStatus.Captured => "captured",
        ChargeStatus.Declined => "declined",
        ChargeStatus.Voided => "voided",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static ChargeStatus Parse(string name) => name switch
    {
        "captured" => ChargeStatus.Captured,
        "declined" => ChargeStatus.Declined,
        "voided" => ChargeStatus.Voided,
        _ => throw new FormatException($"Unknown charge status '{name}'."),
    };
}

/// <summary>Why a charge was declined.</summary>
public static class DeclineCodes
{
    public const int MaxLength = 50;
    public const string CardDeclined = "card_declined";
    public const string AmountTooLarge = "amount_too_large";
}
