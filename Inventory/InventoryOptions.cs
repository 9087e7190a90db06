namespace Shop.Inventory;

/// <summary>Bound from the <c>Inventory</c> configuration section.</summary>
public sealed class InventoryOptions
{
    public StockSeedOptions Seed { get; set; } = new();
}

/// <summary>
/// Stock created at start-up for SKUs that do not exist yet: <c>{Prefix}001</c> … <c>{Prefix}{Count}</c> (at least three
/// digits), each with <see cref="OnHand"/> units. <see cref="Count"/> 0 seeds nothing.
/// </summary>
public sealed class StockSeedOptions
{
    public string Prefix { get; set; } = "SKU-";
    public int Count { get; set; } = 100;
    public int OnHand { get; set; } = 1_000_000;

    public IReadOnlyList<string> Skus()
    {
        var digits = Math.Max(3, Count.ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        return Enumerable.Range(1, Count).Select(i => Prefix + i.ToString($"D{digits}", System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }
}
