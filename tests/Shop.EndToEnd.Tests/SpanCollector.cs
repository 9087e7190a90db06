using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Shop.ServiceDefaults;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// An in-memory trace exporter for the whole test process: records every span the five in-process services start on
/// the sources they trace in production (ASP.NET Core, MassTransit, Npgsql), plus this test's own.
/// </summary>
public sealed class SpanCollector : BaseProcessor<Activity>, IDisposable
{
    public static readonly ActivitySource TestSource = new("Shop.EndToEnd.Tests");

    readonly ConcurrentQueue<Activity> _spans = new();
    readonly TracerProvider _provider;

    public SpanCollector()
    {
        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(TestSource.Name)
            .AddShopInstrumentation()
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(this)
            .Build()!;
    }

    public override void OnEnd(Activity data) => _spans.Enqueue(data);

    public IReadOnlyList<Activity> InTrace(ActivityTraceId traceId) => [.. _spans.Where(x => x.TraceId == traceId)];

    public new void Dispose()
    {
        _provider.Dispose();
        base.Dispose();
    }
}
