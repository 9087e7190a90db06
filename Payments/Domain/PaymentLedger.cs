using System.Security.Cryptography;
using Shop.Data;

namespace Shop.Payments.Domain;

/// <summary>What the ledger asks of the payment provider next, if anything.</summary>
public enum ProviderStep
{
    None,

    /// <summary>The charge's outcome is unknown and nobody asked to undo it: charge (again) under the same key.</summary>
    Charge,

    /// <summary>A compensation is wanted while the charge's outcome is unknown: void its key (or learn it was captured).</summary>
    Void,

    /// <summary>A compensation is wanted and the charge was captured: refund it.</summary>
    Refund,

    /// <summary>A compensation is wanted and the charge was declined: nothing to undo at the provider, only to confirm.</summary>
    Close,
}

/// <summary>The payment records of one order, and the rules for adding to them.</summary>
public sealed class PaymentLedger(Guid orderId, IReadOnlyCollection<PaymentRecord> records)
{
    readonly List<PaymentRecord> _records = [.. records];
    readonly List<PaymentRecord> _added = [];

    public Guid OrderId => orderId;

    /// <summary>The order's charge at the provider is made under this key, every time: it can never be charged twice.</summary>
    public string ChargeKey => PaymentKeys.Charge(orderId, ChargeRequest?.KeyNonce);

    /// <summary>Its one refund, likewise.</summary>
    public string RefundKey => PaymentKeys.Refund(orderId, ChargeRequest?.KeyNonce);

    /// <summary>
    /// The id the shop shows for the order's payment (PaymentCaptured, PaymentRefunded): the intent's own random id; for an
    /// intent from before it had one, the provider's charge id, as was published then.
    /// </summary>
    public Guid? ShopPaymentId => ChargeRequest?.ShopPaymentId ?? Find(PaymentRecordKind.Capture)?.PaymentId;

    /// <summary>Records appended since the ledger was loaded; the caller stores them.</summary>
    public IReadOnlyList<PaymentRecord> Added => _added;

    public PaymentRecord? Find(PaymentRecordKind kind) => _records.FirstOrDefault(x => x.Kind == kind);

    public PaymentRecord? ChargeRequest => Find(PaymentRecordKind.ChargeRequested);

    /// <summary>The provider's answer to the charge, if it is known: a capture or a decline.</summary>
    public PaymentRecord? ChargeOutcome => Find(PaymentRecordKind.Capture) ?? Find(PaymentRecordKind.Decline);

    /// <summary>The confirmation of a compensation, once it is done: the refund, or the void (nothing was captured).</summary>
    public PaymentRecord? Compensation => Find(PaymentRecordKind.Refund) ?? Find(PaymentRecordKind.Void);

    public ProviderStep NextStep
    {
        get
        {
            if (Compensation is not null)
                return ProviderStep.None;

            var unknown = ChargeRequest is not null && ChargeOutcome is null;
            if (Find(PaymentRecordKind.RefundRequested) is null)
                return unknown ? ProviderStep.Charge : ProviderStep.None;

            if (Find(PaymentRecordKind.Capture) is not null)
                return ProviderStep.Refund;
            return unknown ? ProviderStep.Void : ProviderStep.Close;
        }
    }

    /// <summary>The intent to charge: a sealed token, a fresh random key component and a fresh shop payment id.</summary>
    public PaymentRecord AppendChargeRequest(decimal amount, DateTimeOffset at, string sealedPaymentToken) =>
        Append(PaymentRecordKind.ChargeRequested, null, amount, at, paymentToken: sealedPaymentToken, keyNonce: PaymentKeys.NewNonce(),
            shopPaymentId: Guid.NewGuid());

    public PaymentRecord Append(PaymentRecordKind kind, Guid? paymentId, decimal amount, DateTimeOffset at, string? reason = null,
        string? paymentToken = null, string? keyNonce = null, Guid? shopPaymentId = null)
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
            PaymentToken = paymentToken,
            KeyNonce = keyNonce,
            ShopPaymentId = shopPaymentId,
        };
        _records.Add(record);
        _added.Add(record);
        return record;
    }
}

/// <summary>
/// The provider's idempotency keys of an order: the order id and the intent's random nonce (stored with the intent, so
/// they can always be asked about by us, and by nobody who knows only the order id). Intents from before the nonce keep
/// the keys derived from the order id alone, under which their charges were made.
/// </summary>
public static class PaymentKeys
{
    public const int NonceLength = 32;

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NonceLength / 2));

    public static string Charge(Guid orderId, string? nonce) => nonce is null ? $"order-{orderId:N}-charge" : $"order-{orderId:N}-{nonce}-charge";

    public static string Refund(Guid orderId, string? nonce) => nonce is null ? $"order-{orderId:N}-refund" : $"order-{orderId:N}-{nonce}-refund";
}

/// <summary>Why a charge was declined (the reason of <c>PaymentDeclined</c>), beside the provider's own decline codes.</summary>
public static class DeclineCodes
{
    /// <summary>The order was compensated (its payment voided) before the charge arrived.</summary>
    public const string Voided = "voided";

    /// <summary>The provider refused the request (4xx) and, looked up and voided by key, holds no capture for it.</summary>
    public const string RejectedByProvider = "rejected_by_provider";

    /// <summary>The sealed token did not open (another order's, tampered with, or a key this service lacks): nothing was asked of the provider.</summary>
    public const string UnreadableToken = "unreadable_payment_token";
}
