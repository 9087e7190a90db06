using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Scalar.AspNetCore;
using Serilog;
using Serilog.Formatting.Compact;
using Serilog.Templates;
using Shop.ServiceDefaults.Identity;

namespace Shop.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>Largest request body any Shop API accepts; larger bodies get 413.</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    const string TextLogTemplate =
        "[{@t:HH:mm:ss.fff} {@l:u3}] {Service} {@m}{#if OrderId is not null} order={OrderId}{#end}" +
        "{#if @tr is not null} trace={@tr} span={@sp}{#end}\n{@x}";

    /// <summary>
    /// Serilog (readable text locally, compact JSON with <c>Logging:Format=json</c>), OpenTelemetry (see
    /// <see cref="TelemetryExtensions"/>), ProblemDetails for every error, strict JSON (unknown fields rejected), health
    /// checks, OpenAPI and — unless <paramref name="identities"/> is false (the payment-provider simulator, which plays
    /// the outside world) — bearer-token identities (see <see cref="IdentityExtensions"/>).
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, bool identities = true)
    {
        var serviceName = builder.Environment.ApplicationName;
        builder.Services.AddSerilog((services, logger) =>
        {
            logger.ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Service", serviceName)
                .MinimumLevel.Override("Microsoft.AspNetCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.EntityFrameworkCore", Serilog.Events.LogEventLevel.Warning)
                .MinimumLevel.Override("MassTransit", Serilog.Events.LogEventLevel.Information)
                // Four Information lines per outgoing request (start, end, twice): two per charge, on every order.
                .MinimumLevel.Override("System.Net.Http.HttpClient", Serilog.Events.LogEventLevel.Warning)
                // Polly writes every attempt of a resilience pipeline at Information (one line per charge); a retried or
                // failed attempt is a Warning and still shows.
                .MinimumLevel.Override("Polly", Serilog.Events.LogEventLevel.Warning);

            // Every line carries the trace and span id (Serilog takes them from the current activity) and, inside a
            // consumer or an order request, the OrderId.
            if (string.Equals(builder.Configuration["Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
                logger.WriteTo.Console(new CompactJsonFormatter());
            else
                logger.WriteTo.Console(new ExpressionTemplate(TextLogTemplate));
        });
        builder.AddShopTelemetry();

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes);

        builder.Services.AddProblemDetails();
        builder.Services.Configure<JsonOptions>(options => ConfigureJson(options.SerializerOptions));
        builder.Services.AddOpenApi(options =>
        {
            if (identities)
            {
                options.AddDocumentTransformer<BearerSecurityTransformer>();
                options.AddOperationTransformer<BearerSecurityTransformer>();
            }
        });
        builder.Services.AddHealthChecks();
        if (identities)
            builder.AddShopIdentity();
        return builder;
    }

    /// <summary>
    /// The JSON rules of every Shop API: camelCase, enums by name, unknown properties are an error, and numbers are JSON
    /// numbers (the web defaults would also read <c>"quantity": "1"</c>).
    /// </summary>
    public static void ConfigureJson(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.NumberHandling = JsonNumberHandling.Strict;
        options.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        options.Converters.Add(new JsonStringEnumConverter());
    }

    /// <summary>
    /// Exception handler and status pages as ProblemDetails, request logging, <c>/health/live</c> (the process
    /// answers), <c>/health/ready</c> (every registered check: database, broker, ...; each check's details for operators only), Prometheus metrics at <c>/metrics</c> and the
    /// OpenAPI document at <c>/openapi/v1.json</c> (in Development also browsable at <c>/scalar</c>).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSerilogRequestLogging(options => options.EnrichDiagnosticContext = EnrichRequestLog);
        if (app.Services.GetService<IAuthenticationSchemeProvider>() is not null)
            app.UseShopIdentity();

        // Probes, scrapes and the API description stay open; everything else needs a token. Live runs no check; ready
        // runs every registered one (database, broker, outbox, ...): each one a service registers is a condition of
        // taking traffic, and none needs to know this library to say so. Anonymous callers read the status only. Plain
        // endpoints, not MapHealthChecks: that one builds every check (and so the bus) while the app is built, which a
        // process started only to migrate its database (no broker credentials) must not do.
        app.MapGet("/health/live", (HttpContext context) => WriteHealthAsync(context, null, context.RequestAborted))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/health/ready", (HttpContext context, HealthCheckService health) => WriteHealthAsync(context, health, context.RequestAborted))
            .AllowAnonymous().ExcludeFromDescription();
        app.MapMetricsEndpoint();
        app.MapOpenApi().AllowAnonymous();

        // Interactive API reference over the same document, for people trying the API locally; not served elsewhere.
        if (app.Environment.IsDevelopment())
            app.MapScalarApiReference().AllowAnonymous();
        return app;
    }

    /// <summary>The request log line of an order's endpoint (<c>/orders/{id}</c>, <c>?orderId=</c>) names the order.</summary>
    static void EnrichRequestLog(IDiagnosticContext diagnostics, HttpContext context)
    {
        var orderId = context.Request.RouteValues.TryGetValue("id", out var id) && context.Request.Path.StartsWithSegments("/orders")
            ? id as string
            : context.Request.Query["orderId"].FirstOrDefault();
        if (Guid.TryParse(orderId, out var parsed))
            diagnostics.Set("OrderId", parsed);
    }

    /// <summary>
    /// The overall status for anyone (a probe needs no more); each check's status, description and error only for an
    /// operator's token: they name queues, counts and exception text an anonymous caller has no business reading.
    /// </summary>
    static async Task WriteHealthAsync(HttpContext context, HealthCheckService? health, CancellationToken cancellationToken)
    {
        var report = health is null
            ? new HealthReport(new Dictionary<string, HealthReportEntry>(), TimeSpan.Zero)
            : await health.CheckHealthAsync(cancellationToken);
        // Degraded still takes traffic (200); Unhealthy does not (503). Never cached: a probe wants now.
        context.Response.StatusCode = report.Status == HealthStatus.Unhealthy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.Headers.CacheControl = "no-store, no-cache";
        await WriteHealthReport(context, report);
    }

    static Task WriteHealthReport(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        if (!context.User.IsInRole(ShopRoles.Operator))
            return context.Response.WriteAsJsonAsync(new { status = report.Status.ToString() });

        return context.Response.WriteAsJsonAsync(new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(x => x.Key, x => new
            {
                status = x.Value.Status.ToString(),
                description = x.Value.Description,
                error = x.Value.Exception?.Message,
            }),
        });
    }
}
