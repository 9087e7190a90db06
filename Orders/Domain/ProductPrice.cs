namespace Shop.Orders.Domain;

/// <summary>
/// Orders' copy of one product's price (table <c>Prices</c>), kept from Inventory's <c>ProductUpdated</c> events
/// (event-carried state transfer): the submit path prices every line from here, without calling Inventory.
/// </summary>
public sealed class ProductPrice
{
    public required string Sku { get; init; }
    public required string Name { get; set; }
    public decimal UnitPrice { get; set; }

    /// <summary>The product version this row holds; an event with an older or equal version changes nothing.</summary>
    public long Version { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
