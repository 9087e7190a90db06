using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Data;
using Shop.Analytics.Domain;
using Shop.Analytics.Projections;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Identity;

namespace Shop.Analytics.Apis;

/// <summary>The views, the log and the rebuilds, for operators only (docs/analytics.md, with curl examples).</summary>
public static class AnalyticsApi
{
    /// <summary>The largest import accepted in one request (the services' default limit is 64 KiB).</summary>
    public const long MaxImportBytes = 32 * 1024 * 1024;

    /// <summary>Events the lag is computed over without <c>since</c> (the most recent), and at most with it.</summary>
    const int LagSample = 1000;

    const int LagSampleSince = 200_000;

    const int AlertsShown = 500;

    static readonly JsonSerializerOptions Lines = CreateLineOptions();

    public static WebApplication MapAnalyticsApi(this WebApplication app)
    {
        var analytics = app.MapGroup("/analytics").WithTags("Analytics").RequireAuthorization(ShopPolicies.Operator);

        analytics.MapGet("/revenue", GetRevenue).WithName("GetRevenue")
            .WithSummary("Per UTC day: orders submitted, completed and cancelled, and the revenue of the orders completed that day.");
        analytics.MapGet("/skus", GetSkus).WithName("GetSkus")
            .WithSummary("Per SKU: units in completed orders (sold) and in cancelled orders.");
        analytics.MapGet("/cancellations", GetCancellations).WithName("GetCancellations")
            .WithSummary("Cancelled orders per reason, most frequent first.");
        analytics.MapGet("/funnel", GetFunnel).WithName("GetFunnel")
            .WithSummary("Orders at each step of submitted → reserved → paid → shipped, conversion and median time from the previous step.");
        analytics.MapGet("/lag", GetLag).WithName("GetLag")
            .WithSummary("From occurred-at to visible in the views (p50, p99, max), over the most recently recorded events or those recorded since a time.");

        analytics.MapGet("/alerts", GetAlerts).WithName("GetAlerts")
            .WithSummary("The operations feed: cancellations routed here by their content at the broker (reason PaymentAmountMismatch), newest first.");

        analytics.MapGet("/projections", GetProjections).WithName("GetProjections")
            .WithSummary("Each projection's live generation and the code it was computed with.");
        analytics.MapPost("/projections/rebuild", RebuildAll).WithName("RebuildAllProjections")
            .WithSummary("Recomputes every projection from the log into new tables while ingest goes on, then swaps them in.");
        analytics.MapPost("/projections/{name}/rebuild", Rebuild).WithName("RebuildProjection")
            .WithSummary("Recomputes one projection from the log into new tables while ingest goes on, then swaps them in.");

        analytics.MapGet("/events", ExportEvents).WithName("ExportEvents")
            .WithSummary("Events of the log as JSON lines, by occurred-at (from inclusive, to exclusive), optionally of one order.");
        analytics.MapPost("/events/import", ImportEvents).WithName("ImportEvents")
            .WithSummary("Feeds JSON lines (an export) into the log and the views; events already logged are skipped.")
            .WithMetadata(new RequestSizeLimitAttribute(MaxImportBytes));
        return app;
    }

    static async Task<Results<Ok<List<RevenueDay>>, ValidationProblem>> GetRevenue(string? asOf, string? axis, AnalyticsViews views,
        CancellationToken cancellationToken) =>
        ParseAsOf(asOf, axis, out var point) is { } problem
            ? problem
            : TypedResults.Ok(Reports.Revenue(await views.RowsAsync(Domain.Projections.RevenueByDay, point, cancellationToken)));

    static async Task<Results<Ok<List<SkuUnits>>, ValidationProblem>> GetSkus(string? asOf, string? axis, AnalyticsViews views,
        CancellationToken cancellationToken) =>
        ParseAsOf(asOf, axis, out var point) is { } problem
            ? problem
            : TypedResults.Ok(Reports.Skus(await views.RowsAsync(Domain.Projections.SkuUnits, point, cancellationToken)));

    static async Task<Results<Ok<List<CancellationCount>>, ValidationProblem>> GetCancellations(string? asOf, string? axis, AnalyticsViews views,
        CancellationToken cancellationToken) =>
        ParseAsOf(asOf, axis, out var point) is { } problem
            ? problem
            : TypedResults.Ok(Reports.Cancellations(await views.RowsAsync(Domain.Projections.CancellationsByReason, point, cancellationToken)));

    static async Task<Results<Ok<Funnel>, ValidationProblem>> GetFunnel(string? asOf, string? axis, AnalyticsViews views,
        CancellationToken cancellationToken)
    {
        if (ParseAsOf(asOf, axis, out var point) is { } problem)
            return problem;
        var rows = await views.RowsAsync(Domain.Projections.FunnelByStep, point, cancellationToken);
        return TypedResults.Ok(Reports.Funnel(rows, await views.FactsAsync(point, cancellationToken)));
    }

    static async Task<Results<Ok<LagResponse>, ValidationProblem>> GetLag(string? since, AnalyticsDbContext dbContext,
        CancellationToken cancellationToken)
    {
        DateTimeOffset? from = null;
        if (since is not null)
        {
            if (!TryParseTime(since, out var time))
                return JsonBodies.Invalid("since", "'since' must be an ISO 8601 time with an offset (2026-12-07T12:00:00Z).");
            from = time;
        }

        // RecordedAt is the database's clock at the insert, in the transaction that makes the event visible.
        var events = dbContext.Events.AsNoTracking();
        if (from is { } start)
            events = events.Where(x => x.RecordedAt >= start);
        var recent = await events.OrderByDescending(x => x.Position).Take(from is null ? LagSample : LagSampleSince)
            .Select(x => new { x.OccurredAt, x.RecordedAt }).ToListAsync(cancellationToken);
        var lags = recent.Select(x => Math.Max(0, (x.RecordedAt - x.OccurredAt).TotalSeconds)).ToList();
        var p50 = Reports.Percentile(lags, 0.50);
        return TypedResults.Ok(new LagResponse(lags.Count, p50, lags.Count == 0 ? null : lags.Max(),
            recent.Count == 0 ? null : recent.Max(x => x.RecordedAt), p50, Reports.Percentile(lags, 0.99), from));
    }

    static async Task<Ok<List<AlertResponse>>> GetAlerts(AnalyticsDbContext dbContext, CancellationToken cancellationToken) =>
        TypedResults.Ok(await dbContext.OperationsAlerts.AsNoTracking().OrderByDescending(x => x.RecordedAt).Take(AlertsShown)
            .Select(x => new AlertResponse(x.OrderId, x.Reason, x.CancelledAt, x.RecordedAt)).ToListAsync(cancellationToken));

    static async Task<Ok<List<ProjectionResponse>>> GetProjections(AnalyticsDbContext dbContext, CancellationToken cancellationToken)
    {
        var states = await dbContext.Projections.AsNoTracking().OrderBy(x => x.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(states.Select(x => new ProjectionResponse(x.Name, x.LiveGeneration, x.CodeVersion,
            Domain.Projections.Named(x.Name)?.CodeVersion ?? "", x.BuildingGeneration, x.RebuiltAt)).ToList());
    }

    static Task<Results<Ok<RebuildResponse>, ValidationProblem, Conflict<ProblemDetails>>> RebuildAll(ProjectionRebuilder rebuilder,
        CancellationToken cancellationToken) =>
        RebuildAsync(rebuilder, [], cancellationToken);

    static Task<Results<Ok<RebuildResponse>, ValidationProblem, Conflict<ProblemDetails>>> Rebuild(string name, ProjectionRebuilder rebuilder,
        CancellationToken cancellationToken) =>
        Domain.Projections.Named(name) is null
            ? Task.FromResult<Results<Ok<RebuildResponse>, ValidationProblem, Conflict<ProblemDetails>>>(JsonBodies.Invalid("name",
                $"'name' must be one of: {string.Join(", ", Domain.Projections.All.Select(x => x.Name))}."))
            : RebuildAsync(rebuilder, [name], cancellationToken);

    static async Task<Results<Ok<RebuildResponse>, ValidationProblem, Conflict<ProblemDetails>>> RebuildAsync(ProjectionRebuilder rebuilder,
        IReadOnlyCollection<string> names, CancellationToken cancellationToken)
    {
        try
        {
            var result = await rebuilder.RebuildAsync(names, cancellationToken);
            return TypedResults.Ok(new RebuildResponse(result.Projections, result.Generation, result.Orders));
        }
        catch (RebuildInProgressException exception)
        {
            return TypedResults.Conflict(new ProblemDetails { Title = "A rebuild is running", Detail = exception.Message, Status = 409 });
        }
    }

    static Results<PushStreamHttpResult, ValidationProblem> ExportEvents(string? from, string? to, string? order, AnalyticsDbContext dbContext)
    {
        if (!TryParseTime(from, out var start))
            return JsonBodies.Invalid("from", "'from' is required: an ISO 8601 time with an offset (2026-12-07T00:00:00Z).");
        if (!TryParseTime(to, out var end) || end <= start)
            return JsonBodies.Invalid("to", "'to' is required: an ISO 8601 time with an offset, after 'from'.");
        Guid? orderId = null;
        if (order is not null)
        {
            if (!Guid.TryParse(order, out var id))
                return ValidationProblems.NotAGuid("order");
            orderId = id;
        }

        return TypedResults.Stream(async stream =>
        {
            var events = dbContext.Events.AsNoTracking().Where(x => x.OccurredAt >= start && x.OccurredAt < end);
            if (orderId is { } id)
                events = events.Where(x => x.OrderId == id);
            await foreach (var logged in events.OrderBy(x => x.OccurredAt).ThenBy(x => x.EventId).AsAsyncEnumerable())
            {
                var line = new ExportedEvent(logged.EventId, logged.Type, logged.SchemaVersion, logged.OrderId, logged.OccurredAt,
                    logged.RecordedAt, EventBodies.Parse(logged.Body)!.AsObject());
                await stream.WriteAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(line, Lines) + "\n"));
            }
        }, "application/x-ndjson");
    }

    static async Task<Results<Ok<ImportResponse>, ValidationProblem>> ImportEvents(HttpRequest request, EventImporter importer,
        CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var events = new List<LoggedEvent>();
        var number = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text))
                continue;
            if (EventImporter.Parse(text, Lines) is var (logged, error) && error is not null)
                return JsonBodies.Invalid($"line {number}", error);
            events.Add(logged!);
        }

        if (events.Count == 0)
            return JsonBodies.Invalid("body", "No events: send JSON lines as GET /analytics/events writes them.");
        var (imported, duplicates) = await importer.ImportAsync(events, cancellationToken);
        return TypedResults.Ok(new ImportResponse(imported, duplicates));
    }

    /// <summary>Null when valid (<paramref name="point"/> set, or null without <c>asOf</c>); else the 400 naming the field.</summary>
    static ValidationProblem? ParseAsOf(string? asOf, string? axis, out AsOf? point)
    {
        point = null;
        if (asOf is null)
            return axis is null ? null : JsonBodies.Invalid("axis", "'axis' needs 'asOf'.");
        if (!TryParseTime(asOf, out var time))
            return JsonBodies.Invalid("asOf", "'asOf' must be an ISO 8601 time with an offset (2026-12-07T12:00:00Z).");
        switch (axis)
        {
            case null or "occurred":
                point = new AsOf(time, AsOfAxis.Occurred);
                return null;
            case "recorded":
                point = new AsOf(time, AsOfAxis.Recorded);
                return null;
            default:
                return JsonBodies.Invalid("axis", "'axis' must be 'occurred' (the default) or 'recorded'.");
        }
    }

    static bool TryParseTime(string? text, out DateTimeOffset time)
    {
        time = default;
        // An unescaped '+' of an offset arrives as a space (query strings decode '+' so): take it as meant.
        text = text?.Replace(' ', '+');
        // An offset is required: a local time means something else on every machine.
        return text is { Length: > 0 and <= 40 } && (text.EndsWith('Z') || text.LastIndexOfAny(['+', '-']) > 10) &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out time);
    }

    static JsonSerializerOptions CreateLineOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceDefaultsExtensions.ConfigureJson(options);
        // A file for people and tools, never embedded in HTML: an offset's '+' stays '+'.
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }
}
