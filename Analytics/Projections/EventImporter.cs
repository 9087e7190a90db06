using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Apis;
using Shop.Analytics.Data;
using Shop.Analytics.Domain;
using Shop.Messaging.Retry;

namespace Shop.Analytics.Projections;

/// <summary>
/// Feeds exported events (JSON lines) into the log and the views through <see cref="OrderProjector"/>, one transaction
/// per event like a consumer: a backfill of a fresh database, or a replay that finds most events logged already.
/// RecordedAt is this database's time of the import: what this log knew, and when.
/// </summary>
public sealed class EventImporter(IServiceScopeFactory scopes)
{
    /// <summary>A line as a log row, or why it is refused (type, version, ids and times must agree with the body).</summary>
    public static (LoggedEvent? Event, string? Error) Parse(string line, JsonSerializerOptions options)
    {
        ExportedEvent? exported;
        try
        {
            exported = JsonSerializer.Deserialize<ExportedEvent>(line, options);
        }
        catch (JsonException exception)
        {
            return (null, $"Not an exported event: {string.Join("; ", JsonBodies(exception))}");
        }

        if (exported is null || exported.EventId == Guid.Empty || exported.Body is null || exported.Type is null)
            return (null, "eventId, type, schemaVersion, orderId, occurredAt and body are required.");
        if (!EventBodies.IsKnown(exported.Type, exported.SchemaVersion))
            return (null, $"Unknown event type '{exported.Type}' v{exported.SchemaVersion}.");

        var body = exported.Body.ToJsonString();
        object message;
        try
        {
            message = EventBodies.Read(exported.Type, exported.SchemaVersion, body);
        }
        catch (JsonException exception)
        {
            return (null, $"body is not a {exported.Type} v{exported.SchemaVersion}: {exception.Message}");
        }

        var (orderId, occurredAt) = EventBodies.Identify(message);
        if (orderId != exported.OrderId || occurredAt != exported.OccurredAt)
            return (null, "orderId and occurredAt must be those of the body.");
        return (new LoggedEvent
        {
            EventId = exported.EventId,
            Type = exported.Type,
            SchemaVersion = exported.SchemaVersion,
            OrderId = exported.OrderId,
            OccurredAt = exported.OccurredAt,
            Body = body,
        }, null);
    }

    static IEnumerable<string> JsonBodies(JsonException exception) =>
        Shop.ServiceDefaults.JsonBodies.Describe(exception).Select(x => $"{x.Key}: {string.Join(" ", x.Value)}");

    public async Task<(int Imported, int Duplicates)> ImportAsync(IReadOnlyList<LoggedEvent> events, CancellationToken cancellationToken)
    {
        var imported = 0;
        foreach (var logged in events)
        {
            if (await RecordAsync(logged, cancellationToken))
                imported++;
        }

        return (imported, events.Count - imported);
    }

    async Task<bool> RecordAsync(LoggedEvent logged, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var dbContext = scope.ServiceProvider.GetRequiredService<AnalyticsDbContext>();
                await using var transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken);
                var copy = new LoggedEvent
                {
                    EventId = logged.EventId,
                    Type = logged.Type,
                    SchemaVersion = logged.SchemaVersion,
                    OrderId = logged.OrderId,
                    OccurredAt = logged.OccurredAt,
                    Body = logged.Body,
                };
                var recorded = await scope.ServiceProvider.GetRequiredService<OrderProjector>().RecordAsync(copy, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return recorded;
            }
            catch (Exception exception) when (attempt < 10 && (TransientFaults.IsTransient(exception) || TransientFaults.IsUniqueViolationRace(exception)))
            {
                // Live ingest wrote the same order (or event) first: take it again on the committed state.
                await Task.Delay(TimeSpan.FromMilliseconds(20 * attempt), cancellationToken);
            }
        }
    }
}
