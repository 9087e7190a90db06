using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Shop.Messaging.Diagnostics;

namespace Shop.Messaging.Tests.Diagnostics;

/// <summary>
/// Listens to one service's <c>Shop.Messaging</c> meter (tests run side by side, each meter is scoped to its host's
/// <see cref="IMeterFactory"/>): the last value of each gauge, the running total of each counter.
/// </summary>
public sealed class MessagingMetricsReader : IDisposable
{
    readonly MeterListener _listener = new();
    readonly ConcurrentDictionary<string, double> _values = new();

    public MessagingMetricsReader(IMeterFactory serviceMeters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MessagingMetrics.MeterName && instrument.Meter.Scope == serviceMeters)
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => Record(instrument, value));
        _listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => Record(instrument, value));
        _listener.Start();
    }

    /// <summary>Observes the gauges now and returns the instrument's value, or null if it has reported none.</summary>
    public double? Read(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _values.TryGetValue(instrument, out var value) ? value : null;
    }

    void Record(Instrument instrument, double value)
    {
        if (instrument is Counter<long>)
            _values.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
        else
            _values[instrument.Name] = value;
    }

    public void Dispose() => _listener.Dispose();
}
