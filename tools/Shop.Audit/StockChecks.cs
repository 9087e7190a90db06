namespace Shop.Audit;

/// <summary>The invariants of each SKU in Inventory, always over the whole database.</summary>
public static class StockChecks
{
    public static IReadOnlyList<AuditCheck> Run(AuditData data)
    {
        var conserved = new AuditCheck("stock-conserved", "per SKU, units received (adjustments) = on hand + committed");
        var reserved = new AuditCheck("stock-reserved", "per SKU, reserved = the lines of open reservations");
        var available = new AuditCheck("stock-available", "per SKU, 0 <= reserved <= on hand");

        foreach (var sku in data.Skus)
        {
            conserved.Count();
            if (sku.Received != sku.OnHand + sku.Committed)
                conserved.Report(sku.Sku, $"received {sku.Received} ≠ on hand {sku.OnHand} + committed {sku.Committed}");

            reserved.Count();
            if (sku.Reserved != sku.Held)
                reserved.Report(sku.Sku, $"reserved {sku.Reserved} ≠ {sku.Held} in open reservations");

            available.Count();
            if (sku.Reserved < 0 || sku.OnHand - sku.Reserved < 0)
                available.Report(sku.Sku, $"on hand {sku.OnHand}, reserved {sku.Reserved}: {sku.OnHand - sku.Reserved} available");
        }

        return [conserved, reserved, available];
    }
}
