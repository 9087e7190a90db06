using System.Diagnostics.Metrics;

namespace Shop.Orders;

/// <summary>
/// The meter <c>Shop.Orders</c>: orders submitted, completed and cancelled (by reason), how long an order takes from
/// submission to its end, compensations past their deadline, and the orders in each non-terminal state with the age of
/// the oldest. Scraped at <c>/metrics</c> as <c>shop_orders_submitted_total</c>, <c>shop_orders_completed_total</c>,
/// <c>shop_orders_cancelled_total{reason}</c>, <c>shop_orders_duration_seconds</c>,
/// <c>shop_orders_compensation_overdue_total</c>, <c>shop_orders_open{state}</c> and
/// <c>shop_orders_oldest_age_seconds{state}</c>.
/// </summary>
public sealed class OrderMetrics
{
    public const string MeterName = "Shop.Orders";

    readonly Counter<long> _submitted;
    readonly Counter<long> _completed;
    readonly Counter<long> _cancelled;
    readonly Counter<long> _compensationOverdue;
    readonly Histogram<double> _duration;

    public OrderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _submitted = meter.CreateCounter<long>("shop.orders.submitted", "{order}", "Orders accepted by POST /orders.");
        _completed = meter.CreateCounter<long>("shop.orders.completed", "{order}", "Orders that reached Completed.");
        _cancelled = meter.CreateCounter<long>("shop.orders.cancelled", "{order}", "Orders that reached Cancelled, by reason.");
        _compensationOverdue = meter.CreateCounter<long>("shop.orders.compensation_overdue", "{escalation}",
            "Times an order's compensations were still unconfirmed at the compensation deadline (repeats while it waits).");
        _duration = meter.CreateHistogram("shop.orders.duration", "s", "From submission to Completed or Cancelled.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] });
        meter.CreateObservableGauge("shop.orders.open", () => Measure(x => x.Count), "{order}",
            "Orders in each non-terminal state (sampled from the saga table).");
        meter.CreateObservableGauge("shop.orders.oldest_age", () => Measure(x => x.OldestAge.TotalSeconds), "s",
            "How long the oldest order in each non-terminal state has been in it (sampled from the saga table).");
    }

    /// <summary>The last sample of the open orders, or null before the first one.</summary>
    public OpenOrdersSample? OpenOrders { get; private set; }

    public void Submitted() => _submitted.Add(1);

    public void Completed(TimeSpan duration)
    {
        _completed.Add(1);
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "completed"));
    }

    public void Cancelled(string reason, TimeSpan duration)
    {
        _cancelled.Add(1, new KeyValuePair<string, object?>("reason", reason));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "cancelled"),
            new KeyValuePair<string, object?>("reason", reason));
    }

    public void CompensationOverdue() => _compensationOverdue.Add(1);

    public void Update(OpenOrdersSample sample) => OpenOrders = sample;

    IEnumerable<Measurement<T>> Measure<T>(Func<OpenOrdersSample.State, T> value)
        where T : struct =>
        OpenOrders?.States.Select(state => new Measurement<T>(value(state), new KeyValuePair<string, object?>("state", state.Name))) ?? [];
}

/// <summary>The orders in each non-terminal state at <see cref="SampledAt"/>, with how many of them are escalated.</summary>
public sealed record OpenOrdersSample(IReadOnlyList<OpenOrdersSample.State> States, int Escalated, DateTimeOffset SampledAt)
{
    /// <summary>How many orders are in the state, and how long the one longest in it has been there.</summary>
    public sealed record State(string Name, long Count, TimeSpan OldestAge);

    public TimeSpan OldestAge => States.Count == 0 ? TimeSpan.Zero : States.Max(x => x.OldestAge);
}
