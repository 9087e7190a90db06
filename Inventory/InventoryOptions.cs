namespace Shop.Inventory;

/// <summary>Bound from the <c>Inventory</c> configuration section.</summary>
public sealed class InventoryOptions
{
    public StockSeedOptions Seed { get; set; } = new();

    /// <summary>
    /// Publish <c>ProductUpdated</c> for every product at start-up (after the bus starts), so a consumer that joined
    /// later or lost its copy — a fresh Orders database — gets the whole catalog. Receivers ignore versions they hold.
    /// </summary>
    public bool PublishCatalogOnStart { get; set; } = true;
}

/// <summary>
/// Stock created at start-up for SKUs that do not exist yet: <c>{Prefix}001</c> … <c>{Prefix}{Count}</c> (at least three
/// digits), each with <see cref="OnHand"/> units and a product "Product {sku}" at <see cref="UnitPrice"/>. <see cref="Count"/> 0
/// seeds nothing.
/// </summary>
public sealed class StockSeedOptions
{
    public string Prefix { get; set; } = "SKU-";
    public int Count { get; set; } = 100;
    public int OnHand { get; set; } = 1_000_000;
    public decimal UnitPrice { get; set; } = 12.50m;

    public IReadOnlyList<string> Skus()
    {
        var digits = Math.Max(3, Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return Enumerable.Range(1, Count).Select(i => Prefix + i.ToString($"D{digits}", System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}
