namespace Shop.Inventory.Domain;

/// <summary>
/// A product of the catalog (table <c>Products</c>): its name and the unit price every order is charged at. Inventory
/// owns it; each change is published as <c>ProductUpdated</c> through the outbox, in the transaction that makes it.
/// </summary>
public sealed class Product
{
    public const int MaxNameLength = 200;
    public const decimal MaxUnitPrice = 1_000_000m;

    public required string Sku { get; init; }
    public required string Name { get; set; }
    public decimal UnitPrice { get; set; }

    /// <summary>1 when created, +1 on every change (optimistic concurrency token, and the event's version).</summary>
    public long Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Why <paramref name="unitPrice"/> cannot be a price, or null.</summary>
    public static string? PriceProblem(decimal unitPrice) =>
        unitPrice is < 0 or > MaxUnitPrice ? $"Must be between 0 and {MaxUnitPrice}."
        : decimal.Round(unitPrice, 2) != unitPrice ? "At most two decimal places."
        : null;
}
