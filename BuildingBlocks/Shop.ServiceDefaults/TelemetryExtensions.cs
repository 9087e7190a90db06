using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Shop.ServiceDefaults;

/// <summary>
/// OpenTelemetry for every service. Metrics are always on and scraped in Prometheus format at <c>/metrics</c>:
/// MassTransit's meter, ASP.NET Core, the .NET runtime and every <c>Shop.*</c> meter. Traces (ASP.NET Core,
/// MassTransit, Npgsql, SqlClient) are exported over OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set, and only
/// propagated otherwise. MassTransit carries the trace context in each message's headers, through our outbox, so one
/// order is one trace across the five services.
/// </summary>
public static class TelemetryExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>The activity source MassTransit starts its send, receive and consume spans on.</summary>
    public const string MassTransitSource = "MassTransit";

    /// <summary>Our own meters are named <c>Shop.&lt;Area&gt;</c>.</summary>
    public const string ShopMeters = "Shop.*";

    /// <summary>Our own activity sources (work a service starts outside a request or message) are named likewise.</summary>
    public const string ShopSources = "Shop.*";

    public static WebApplicationBuilder AddShopTelemetry(this WebApplicationBuilder builder)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName))
            .WithMetrics(metrics => metrics
                .AddMeter(MassTransitSource, ShopMeters)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentation()
                .AddPrometheusExporter());

        // Spans are always started, so a trace id travels with every request and message and into every log line;
        // they are recorded and exported only when an OTLP endpoint is configured.
        var export = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        telemetry.WithTracing(tracing =>
        {
            tracing
                .SetSampler(export ? new ParentBasedSampler(new NoOrphanClientSpansSampler()) : new AlwaysOffSampler())
                .AddShopInstrumentation();
            if (export)
                tracing.AddOtlpExporter();
        });

        return builder;
    }

    /// <summary>What a Shop trace is made of: ASP.NET Core requests (not probes or scrapes), MassTransit, Npgsql, SqlClient.</summary>
    public static TracerProviderBuilder AddShopInstrumentation(this TracerProviderBuilder tracing) => tracing
        .AddSource(MassTransitSource, ShopSources)
        .AddAspNetCoreInstrumentation(options => options.Filter = context => !IsInfrastructure(context.Request.Path))
        .AddNpgsql()
        .AddSqlClientInstrumentation();

    public static WebApplication MapMetricsEndpoint(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath).AllowAnonymous();
        return app;
    }

    /// <summary>Health probes and scrapes are not worth a trace each.</summary>
    static bool IsInfrastructure(PathString path) =>
        path.StartsWithSegments("/health") || path.StartsWithSegments(MetricsPath);

    /// <summary>
    /// Samples every trace that starts with a request or a message, and drops a client span with no parent: those are
    /// the outbox delivery's and the inbox clean-up's own polling queries, thousands of one-span traces an hour.
    /// </summary>
    sealed class NoOrphanClientSpansSampler : Sampler
    {
        static readonly SamplingResult Drop = new(SamplingDecision.Drop);
        static readonly SamplingResult Sample = new(SamplingDecision.RecordAndSample);

        public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
            samplingParameters.Kind == ActivityKind.Client ? Drop : Sample;
    }
}
