using System.Diagnostics.Metrics;

namespace Shop.Messaging.Diagnostics;

/// <summary>
/// The <c>Shop.Messaging</c> meter: counters for what the outbox delivery service sends, and gauges for the outbox and
/// inbox tables. The gauges report the last sample taken by <see cref="MessagingTablesSampler"/>, never query on a
/// scrape, and report nothing until the first sample. Several instances of a service share one database, so they
/// report the same table figures: aggregate them with max, not sum.
/// </summary>
public sealed class MessagingMetrics
{
    public const string MeterName = "Shop.Messaging";

    readonly Counter<long> _delivered;
    readonly Counter<long> _deliveryFailures;
    readonly Counter<long> _deliveryPasses;
    long _passes;
    OutboxSample? _outbox;
    long _inboxSize = -1;

    public MessagingMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _delivered = meter.CreateCounter<long>("shop.messaging.outbox.delivered", "{message}",
            "Outbox messages handed to the broker by the delivery service.");
        _deliveryFailures = meter.CreateCounter<long>("shop.messaging.outbox.delivery_failures", "{message}",
            "Outbox messages the broker did not accept; they stay in the outbox and are retried.");
        _deliveryPasses = meter.CreateCounter<long>("shop.messaging.outbox.delivery_passes", "{pass}",
            "Delivery passes (each one lock query); it grows with the commits and the poll, never in a loop while idle.");
        meter.CreateObservableGauge("shop.messaging.outbox.backlog", () => Latest(Outbox, x => x.Backlog), "{message}",
            "Outbox messages that are due and not yet delivered.");
        meter.CreateObservableGauge("shop.messaging.outbox.scheduled", () => Latest(Outbox, x => x.Scheduled), "{message}",
            "Outbox messages scheduled for later (saga timeouts, delayed redeliveries).");
        meter.CreateObservableGauge("shop.messaging.outbox.oldest_age", () => Latest(Outbox, x => x.OldestAge.TotalSeconds), "s",
            "How long the oldest due outbox message has been waiting; 0 when none is.");
        meter.CreateObservableGauge("shop.messaging.inbox.size", () => LatestInboxSize(), "{message}",
            "Consumed message ids remembered for duplicate detection.");
    }

    /// <summary>The latest outbox figures, or null before the first sample.</summary>
    public OutboxSample? Outbox => Volatile.Read(ref _outbox);

    internal void RecordDelivered(int messages)
    {
        if (messages > 0)
            _delivered.Add(messages);
    }

    internal void RecordDeliveryFailure() => _deliveryFailures.Add(1);

    internal void RecordDeliveryPass()
    {
        Interlocked.Increment(ref _passes);
        _deliveryPasses.Add(1);
    }

    /// <summary>Delivery passes run by this process so far.</summary>
    public long DeliveryPasses => Interlocked.Read(ref _passes);

    internal void Update(OutboxSample sample) => Volatile.Write(ref _outbox, sample);

    internal void UpdateInbox(long size) => Volatile.Write(ref _inboxSize, size);

    static IEnumerable<Measurement<T>> Latest<T>(OutboxSample? sample, Func<OutboxSample, T> value)
        where T : struct =>
        sample is null ? [] : [new Measurement<T>(value(sample))];

    IEnumerable<Measurement<long>> LatestInboxSize() =>
        Volatile.Read(ref _inboxSize) is var size and >= 0 ? [new Measurement<long>(size)] : [];
}

/// <param name="Backlog">Messages due and not yet delivered.</param>
/// <param name="Scheduled">Messages due later.</param>
/// <param name="OldestAge">How long the oldest due message had waited at <paramref name="SampledAt"/>; zero when none.</param>
public sealed record OutboxSample(long Backlog, long Scheduled, TimeSpan OldestAge, DateTimeOffset SampledAt);
