using Shop.Messaging.Storage;

namespace Shop.Payments.Domain;

/// <summary>The payment records of one order, and the rules for adding to them.</summary>
public sealed class PaymentLedger(Guid orderId, IReadOnlyCollection<PaymentRecord> records)
{
    readonly List<PaymentRecord> _records = [.. records];
    readonly List<PaymentRecord> _added = [];

    /// <summary>Records appended since the ledger was loaded; the caller stores them.</summary>
    public IReadOnlyList<PaymentRecord> Added => _added;

    public PaymentRecord? Find(PaymentRecordKind kind) => _records.FirstOrDefault(x => x.Kind == kind);

    /// <summary>The final answer to a charge, if it was given already: a capture or a decline.</summary>
    public PaymentRecord? ChargeOutcome => Find(PaymentRecordKind.Capture) ?? Find(PaymentRecordKind.Decline);

    public PaymentRecord Append(PaymentRecordKind kind, Guid? paymentId, decimal amount, DateTimeOffset at, string? reason = null)
    {
        if (Find(kind) is not null)
            throw new InvalidOperationException($"Order {orderId} already has a {kind} record.");

        var record = new PaymentRecord
        {
            OrderId = orderId,
            Sequence = _records.Count == 0 ? 1 : _records.Max(x => x.Sequence) + 1,
            Kind = kind,
            PaymentId = paymentId,
            Amount = amount,
            At = at.ToStoredPrecision(),
            Reason = reason,
        };
        _records.Add(record);
        _added.Add(record);
        return record;
    }
}
