namespace Shop.Payments.Domain;

/// <summary>What a <see cref="PaymentRecord"/> says happened to an order's money.</summary>
public enum PaymentRecordKind
{
    /// <summary>A charge was sent to the gateway and never answered; nothing is known to be captured.</summary>
    Pending,
    Capture,
    Decline,
    Refund,

    /// <summary>The order was cancelled before anything was captured: a pending charge, or none yet (a tombstone).</summary>
    Void,
}

/// <summary>
/// One entry of an order's payment ledger (table <c>Payments</c>). Append-only: at most one entry of each kind per
/// order (a unique index, so never two captures), numbered by <see cref="Sequence"/> so that two messages changing the
/// same order at once collide on the key and one of them retries on the other's result.
/// </summary>
public sealed class PaymentRecord
{
    public Guid OrderId { get; init; }
    public int Sequence { get; init; }
    public PaymentRecordKind Kind { get; init; }

    /// <summary>The gateway charge this entry is about; null for a void tombstone.</summary>
    public Guid? PaymentId { get; init; }

    /// <summary>Money moved (Capture, Refund) or asked for (Pending, Decline); 0 for a Void.</summary>
    public decimal Amount { get; init; }

    public DateTimeOffset At { get; init; }
    public string? Reason { get; init; }
}
