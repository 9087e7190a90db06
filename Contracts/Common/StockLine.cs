namespace Shop.Contracts;

/// <summary>A quantity of one SKU, as Inventory sees an order.</summary>
public sealed record StockLine(string Sku, int Quantity);
