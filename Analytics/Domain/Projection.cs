using System.Globalization;

namespace Shop.Analytics.Domain;

/// <summary>One row's worth of a view: its key and the amounts an order adds to it (or, in a diff, the change).</summary>
public sealed record ViewRow(string Key, IReadOnlyList<decimal> Values)
{
    public bool IsZero => Values.All(x => x == 0);
}

/// <summary>
/// A view over the order facts: a plain table (<see cref="Table"/>) keyed by generation and <see cref="KeyColumn"/>,
/// whose rows are the sums of every order's <see cref="Contribute"/>. Pure: the store applies what it returns.
/// </summary>
/// <param name="Name">The name operators use (<c>shop-admin projections rebuild skus</c>).</param>
/// <param name="Version">Bump when <see cref="Contribute"/> changes meaning: the projection is then rebuilt from the log.</param>
/// <param name="MoneyColumns">Which value columns hold money (decimal); the others are counts (bigint).</param>
public sealed record Projection(
    string Name,
    int Version,
    string Table,
    string KeyColumn,
    IReadOnlyList<string> ValueColumns,
    IReadOnlySet<string> MoneyColumns,
    Func<OrderFacts, IEnumerable<ViewRow>> Contribute)
{
    /// <summary>The code this projection's rows were computed with: its own version and that of the facts.</summary>
    public string CodeVersion => $"{OrderFacts.CodeVersion}.{Version}";

    /// <summary>Whether a key column holds a date (stored as <c>date</c>, written yyyy-MM-dd here).</summary>
    public bool KeyIsDate { get; init; }

    public object KeyParameter(string key) =>
        KeyIsDate ? DateOnly.ParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture) : key;

    public object ValueParameter(int index, decimal value) =>
        MoneyColumns.Contains(ValueColumns[index]) ? value : (object)decimal.ToInt64(value);

    /// <summary>What replacing <paramref name="before"/> by <paramref name="after"/> changes, row by row; unchanged rows are left out.</summary>
    public IReadOnlyList<ViewRow> Diff(OrderFacts? before, OrderFacts? after) =>
        Sum(before is null ? [] : Contribute(before), after is null ? [] : Contribute(after));

    /// <summary>The rows of a view over all of <paramref name="facts"/> (what a fresh table would hold).</summary>
    public IReadOnlyList<ViewRow> Rows(IEnumerable<OrderFacts> facts) => Sum([], facts.SelectMany(Contribute));

    IReadOnlyList<ViewRow> Sum(IEnumerable<ViewRow> minus, IEnumerable<ViewRow> plus)
    {
        var sums = new SortedDictionary<string, decimal[]>(StringComparer.Ordinal);
        void Add(ViewRow row, int sign)
        {
            if (!sums.TryGetValue(row.Key, out var values))
                sums[row.Key] = values = new decimal[ValueColumns.Count];
            for (var i = 0; i < values.Length; i++)
                values[i] += sign * row.Values[i];
        }

        foreach (var row in minus)
            Add(row, -1);
        foreach (var row in plus)
            Add(row, +1);
        return sums.Select(x => new ViewRow(x.Key, x.Value)).Where(x => !x.IsZero).ToList();
    }
}

/// <summary>The views Analytics keeps, each a plain SQL table (<c>docs/analytics.md</c>).</summary>
public static class Projections
{
    public const string Revenue = "revenue";
    public const string Skus = "skus";
    public const string Cancellations = "cancellations";
    public const string Funnel = "funnel";

    /// <summary>The funnel's steps, in order.</summary>
    public static readonly string[] FunnelSteps = ["submitted", "reserved", "paid", "shipped"];

    static string Day(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Per UTC day: orders submitted, completed and cancelled that day; revenue of the orders completed that day.</summary>
    public static readonly Projection RevenueByDay = new(Revenue, 1, "RevenueByDay", "Day",
        ["OrdersSubmitted", "OrdersCompleted", "OrdersCancelled", "Revenue"], new HashSet<string> { "Revenue" }, facts =>
        {
            var rows = new List<ViewRow>();
            if (facts.SubmittedAt is { } submitted)
                rows.Add(new ViewRow(Day(submitted), [1, 0, 0, 0]));
            if (facts is { Outcome: OrderOutcome.Completed, EndedAt: { } completed })
                rows.Add(new ViewRow(Day(completed), [0, 1, 0, facts.CompletedTotal]));
            if (facts is { Outcome: OrderOutcome.Cancelled, EndedAt: { } cancelled })
                rows.Add(new ViewRow(Day(cancelled), [0, 0, 1, 0]));
            return rows;
        })
    { KeyIsDate = true };

    /// <summary>Per SKU: units in completed orders (sold) and in cancelled ones.</summary>
    public static readonly Projection SkuUnits = new(Skus, 1, "SkuUnits", "Sku", ["UnitsSold", "UnitsCancelled"], new HashSet<string>(),
        facts => facts.Outcome switch
        {
            OrderOutcome.Completed => facts.Lines.Select(line => new ViewRow(line.Sku, [line.Quantity, 0])),
            OrderOutcome.Cancelled => facts.Lines.Select(line => new ViewRow(line.Sku, [0, line.Quantity])),
            _ => [],
        });

    /// <summary>Per reason: cancelled orders.</summary>
    public static readonly Projection CancellationsByReason = new(Cancellations, 1, "CancellationsByReason", "Reason", ["Orders"],
        new HashSet<string>(), facts => facts is { Outcome: OrderOutcome.Cancelled, CancelReason: { } reason } ? [new ViewRow(reason, [1])] : []);

    /// <summary>Per step of submitted → reserved → paid → shipped: orders that reached it.</summary>
    public static readonly Projection FunnelByStep = new(Funnel, 1, "FunnelSteps", "Step", ["Orders"], new HashSet<string>(), facts =>
        new[] { facts.SubmittedAt, facts.ReservedAt, facts.PaidAt, facts.ShippedAt }
            .Select((at, step) => (at, step))
            .Where(x => x.at is not null)
            .Select(x => new ViewRow(FunnelSteps[x.step], [1])));

    public static readonly IReadOnlyList<Projection> All = [RevenueByDay, SkuUnits, CancellationsByReason, FunnelByStep];

    public static Projection? Named(string name) => All.FirstOrDefault(x => x.Name == name);
}
