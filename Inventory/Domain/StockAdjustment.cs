namespace Shop.Inventory.Domain;

/// <summary>
/// One change of a SKU's units on hand made from outside the order flow — the start-up seed or an operator's
/// <c>PUT /stock/{sku}</c> — written in the same transaction as the change (table <c>StockAdjustments</c>, append-only).
/// Per SKU the adjustments add up to every unit ever received, so on hand + committed reservation lines must equal
/// their sum: the stock conservation the audit checks.
/// </summary>
public sealed class StockAdjustment
{
    public const string Seed = "seed";
    public const string Set = "set";

    public long Id { get; init; }
    public required string Sku { get; init; }

    /// <summary>Units added (negative: removed).</summary>
    public int Quantity { get; init; }

    /// <summary>Units on hand right after the change.</summary>
    public int OnHand { get; init; }

    /// <summary><see cref="Seed"/> or <see cref="Set"/>.</summary>
    public required string Reason { get; init; }

    public DateTimeOffset At { get; init; }
}
