namespace Shop.Payments.Domain;

/// <summary>What a <see cref="PaymentRecord"/> says happened to an order's money.</summary>
public enum PaymentRecordKind
{
    /// <summary>
    /// The intent, committed before the provider is called: money may move under the order's charge key from now on.
    /// Until a Capture, Decline or Void follows, the outcome is unknown and the settlement service resolves it.
    /// </summary>
    ChargeRequested,
    Capture,
    Decline,

    /// <summary>A compensation asked for (RefundPayment) while money was captured or a charge's outcome was unknown.</summary>
    RefundRequested,
    Refund,

    /// <summary>
    /// Nothing was captured and nothing ever will be: the order was compensated before its charge reached the provider
    /// (a tombstone), or the provider voided the charge key.
    /// </summary>
    Void,
}

/// <summary>
/// One entry of an order's payment ledger (table <c>Payments</c>). Append-only: at most one entry of each kind per
/// order (a unique index, so never two captures), numbered by <see cref="Sequence"/> so that two writers changing the
/// same order at once collide on the key and one of them retries on the other's result.
/// </summary>
public sealed class PaymentRecord
{
    public Guid OrderId { get; init; }
    public int Sequence { get; init; }
    public PaymentRecordKind Kind { get; init; }

    /// <summary>The provider's charge this entry is about; null before the provider answered and for a tombstone.</summary>
    public Guid? PaymentId { get; init; }

    /// <summary>Money moved (Capture, Refund) or asked for (ChargeRequested, Decline); 0 for a Void.</summary>
    public decimal Amount { get; init; }

    public DateTimeOffset At { get; init; }
    public string? Reason { get; init; }

    /// <summary>
    /// The customer's provider token sealed for this service (ciphertext, opened in memory right before the provider
    /// call), on the ChargeRequested entry only and only until the charge is decided: the one field that changes, so that
    /// no token outlives its charge.
    /// </summary>
    public string? PaymentToken { get; set; }

    /// <summary>
    /// On the ChargeRequested entry: the random part of the order's idempotency keys at the provider (128 bits, hex), so
    /// that nobody who knows an order id can derive them and pre-void or pre-refund its charge. Null on entries written
    /// before it existed, whose keys are derived from the order id alone (<see cref="PaymentKeys"/>).
    /// </summary>
    public string? KeyNonce { get; init; }

    /// <summary>
    /// On the ChargeRequested entry: the payment's id as the shop shows it (in PaymentCaptured, to the saga and the
    /// customer): random, never the provider's charge id, which would let whoever reaches the provider act on the charge.
    /// </summary>
    public Guid? ShopPaymentId { get; init; }
}
