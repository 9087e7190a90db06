using System.Diagnostics.Metrics;

namespace Shop.Orders.Domain;

/// <summary>
/// The meter <c>Shop.Orders</c>: orders submitted, completed and cancelled (by reason), and how long an order takes
/// from submission to its end. Scraped at <c>/metrics</c> as <c>shop_orders_submitted_total</c>,
/// <c>shop_orders_completed_total</c>, <c>shop_orders_cancelled_total{reason}</c> and
/// <c>shop_orders_duration_seconds</c>.
/// </summary>
public sealed class OrderMetrics
{
    public const string MeterName = "Shop.Orders";

    readonly Counter<long> _submitted;
    readonly Counter<long> _completed;
    readonly Counter<long> _cancelled;
    readonly Histogram<double> _duration;

    public OrderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _submitted = meter.CreateCounter<long>("shop.orders.submitted", "{order}", "Orders accepted by POST /orders.");
        _completed = meter.CreateCounter<long>("shop.orders.completed", "{order}", "Orders that reached Completed.");
        _cancelled = meter.CreateCounter<long>("shop.orders.cancelled", "{order}", "Orders that reached Cancelled, by reason.");
        _duration = meter.CreateHistogram("shop.orders.duration", "s", "From submission to Completed or Cancelled.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] });
    }

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
}
