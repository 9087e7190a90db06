using System.Globalization;

namespace Shop.Analytics.Domain;

public sealed record RevenueDay(DateOnly Day, long OrdersSubmitted, long OrdersCompleted, long OrdersCancelled, decimal Revenue);

public sealed record SkuUnits(string Sku, long UnitsSold, long UnitsCancelled);

public sealed record CancellationCount(string Reason, long Orders);

/// <param name="Conversion">Orders at this step over orders at the previous one (null for the first step, or none before).</param>
/// <param name="MedianSecondsFromPrevious">Median time from the previous step to this one, over orders that reached both.</param>
public sealed record FunnelStep(string Step, long Orders, double? Conversion, double? MedianSecondsFromPrevious);

public sealed record Funnel(IReadOnlyList<FunnelStep> Steps);

/// <summary>The API's shapes of the views' rows (one place, for the live tables and the as-of re-derivations alike).</summary>
public static class Reports
{
    static long Count(decimal value) => decimal.ToInt64(value);

    public static List<RevenueDay> Revenue(IEnumerable<ViewRow> rows) => rows
        .Select(x => new RevenueDay(DateOnly.ParseExact(x.Key, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Count(x.Values[0]), Count(x.Values[1]), Count(x.Values[2]), x.Values[3]))
        .OrderBy(x => x.Day).ToList();

    public static List<SkuUnits> Skus(IEnumerable<ViewRow> rows) => rows
        .Select(x => new SkuUnits(x.Key, Count(x.Values[0]), Count(x.Values[1])))
        .OrderBy(x => x.Sku, StringComparer.Ordinal).ToList();

    public static List<CancellationCount> Cancellations(IEnumerable<ViewRow> rows) => rows
        .Select(x => new CancellationCount(x.Key, Count(x.Values[0])))
        .OrderByDescending(x => x.Orders).ThenBy(x => x.Reason, StringComparer.Ordinal).ToList();

    public static Funnel Funnel(IEnumerable<ViewRow> rows, IEnumerable<OrderFacts> facts)
    {
        var counts = rows.ToDictionary(x => x.Key, x => Count(x.Values[0]));
        var times = facts.Select(x => new[] { x.SubmittedAt, x.ReservedAt, x.PaidAt, x.ShippedAt }).ToList();
        var steps = new List<FunnelStep>();
        for (var i = 0; i < Projections.FunnelSteps.Length; i++)
        {
            var orders = counts.GetValueOrDefault(Projections.FunnelSteps[i]);
            if (i == 0)
            {
                steps.Add(new FunnelStep(Projections.FunnelSteps[i], orders, null, null));
                continue;
            }

            var previous = counts.GetValueOrDefault(Projections.FunnelSteps[i - 1]);
            var step = i;
            var durations = times.Where(x => x[step - 1] is not null && x[step] is not null)
                .Select(x => (x[step]!.Value - x[step - 1]!.Value).TotalSeconds).ToList();
            steps.Add(new FunnelStep(Projections.FunnelSteps[i], orders, previous == 0 ? null : (double)orders / previous, Median(durations)));
        }

        return new Funnel(steps);
    }

    public static double? Median(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            return null;
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /// <summary>The nearest-rank percentile (<paramref name="fraction"/> 0.99 = p99): a value that occurred, never an interpolation.</summary>
    public static double? Percentile(IReadOnlyCollection<double> values, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fraction);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        if (values.Count == 0)
            return null;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(fraction * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }
}
