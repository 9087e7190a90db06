using System.Diagnostics.Metrics;

namespace Shop.Analytics;

/// <summary>
/// The meter <c>Shop.Analytics</c>: how long an event took from its producer's time to being visible in the views
/// (<c>shop_analytics_lag_seconds</c>), events recorded (<c>shop_analytics_events_total</c>), projections rebuilt
/// (<c>shop_analytics_rebuilds_total{projection}</c>) and operations alerts (<c>shop_analytics_alerts_total{reason}</c>).
/// </summary>
public sealed class AnalyticsMetrics
{
    public const string MeterName = "Shop.Analytics";

    readonly Histogram<double> _lag;
    readonly Counter<long> _events;
    readonly Counter<long> _rebuilds;
    readonly Counter<long> _alerts;

    public AnalyticsMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _lag = meter.CreateHistogram("shop.analytics.lag", "s", "From an event's occurred-at (producer time) to its commit in the views.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600] });
        _events = meter.CreateCounter<long>("shop.analytics.events", "{event}", "Events appended to the log (duplicates excluded).");
        _rebuilds = meter.CreateCounter<long>("shop.analytics.rebuilds", "{rebuild}", "Projections rebuilt from the log and swapped in.");
        _alerts = meter.CreateCounter<long>("shop.analytics.alerts", "{alert}", "Cancellations the operations feed delivered, by reason.");
    }

    public void RecordLag(TimeSpan lag)
    {
        _events.Add(1);
        _lag.Record(Math.Max(0, lag.TotalSeconds));
    }

    public void Alerted(string reason) => _alerts.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Rebuilt(string projection) => _rebuilds.Add(1, new KeyValuePair<string, object?>("projection", projection));
}
