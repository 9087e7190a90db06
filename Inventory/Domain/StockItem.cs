namespace Shop.Inventory.Domain;

/// <summary>
/// The stock of one SKU (table <c>Stock</c>). <see cref="Reserved"/> units belong to orders not shipped yet; a check
/// constraint keeps <c>0 &lt;= Reserved &lt;= OnHand</c>. Quantities change only through atomic, guarded updates.
/// </summary>
public sealed class StockItem
{
    public const int MaxSkuLength = Shop.ServiceDefaults.Skus.MaxLength;

    public required string Sku { get; init; }
    public int OnHand { get; set; }
    public int Reserved { get; set; }
}
