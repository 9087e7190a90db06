namespace Shop.Analytics.Data;

// The projections' tables. Written only through ProjectionStore (atomic increments); read joined with the live
// generation in Projections, or through the SQL views of the same name without the generation (docs/analytics.md).

/// <summary>A row of <c>RevenueByDay</c>.</summary>
public sealed class RevenueByDayRow
{
    public int Generation { get; set; }
    public DateOnly Day { get; set; }
    public long OrdersSubmitted { get; set; }
    public long OrdersCompleted { get; set; }
    public long OrdersCancelled { get; set; }
    public decimal Revenue { get; set; }
}

/// <summary>A row of <c>SkuUnits</c>.</summary>
public sealed class SkuUnitsRow
{
    public int Generation { get; set; }
    public string Sku { get; set; } = "";
    public long UnitsSold { get; set; }
    public long UnitsCancelled { get; set; }
}

/// <summary>A row of <c>CancellationsByReason</c>.</summary>
public sealed class CancellationsByReasonRow
{
    public int Generation { get; set; }
    public string Reason { get; set; } = "";
    public long Orders { get; set; }
}

/// <summary>A row of <c>FunnelSteps</c>.</summary>
public sealed class FunnelStepRow
{
    public int Generation { get; set; }
    public string Step { get; set; } = "";
    public long Orders { get; set; }
}
