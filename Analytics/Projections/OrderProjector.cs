using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Data;
using Shop.Analytics.Domain;

namespace Shop.Analytics.Projections;

/// <summary>
/// The one way anything reaches the log and the views, inside the caller's transaction (a consumer's, an import's, a
/// rebuild's): append the event unless its id is logged, re-derive its order's facts from all of the order's logged
/// events, and change every view by the difference. The facts row's version serializes the events of one order: a
/// concurrent event of the same order fails the version check and is retried on the committed state.
/// </summary>
public sealed class OrderProjector(AnalyticsDbContext dbContext, AnalyticsMetrics metrics)
{
    AnalyticsSql? _sql;
    AnalyticsSql Sql => _sql ??= AnalyticsSql.For(dbContext);

    /// <summary>Appends the message as event <paramref name="eventId"/> and refreshes its order; false for a duplicate (nothing changes).</summary>
    public Task<bool> RecordAsync(Guid eventId, object message, CancellationToken cancellationToken)
    {
        var (type, version) = EventBodies.NameOf(message.GetType());
        var (orderId, occurredAt) = EventBodies.Identify(message);
        return RecordAsync(new LoggedEvent
        {
            EventId = eventId,
            Type = type,
            SchemaVersion = version,
            OrderId = orderId,
            OccurredAt = occurredAt,
            Body = EventBodies.Write(message),
        }, cancellationToken);
    }

    /// <summary>Appends an event already in the log's shape (an import); <see cref="LoggedEvent.RecordedAt"/> is set by the database.</summary>
    public async Task<bool> RecordAsync(LoggedEvent logged, CancellationToken cancellationToken)
    {
        // A copy committed earlier is found here; a concurrent one waits on the unique index and fails, and its retry finds it.
        if (await dbContext.Events.AnyAsync(x => x.EventId == logged.EventId, cancellationToken))
            return false;

        dbContext.Events.Add(logged);
        await dbContext.SaveChangesAsync(cancellationToken);
        await RefreshAsync(logged.OrderId, coverGeneration: null, cancellationToken);
        metrics.RecordLag(logged.RecordedAt - logged.OccurredAt);
        return true;
    }

    /// <summary>
    /// Re-derives the order's facts from the log and changes the views by the difference. With
    /// <paramref name="coverGeneration"/> (a rebuild), an order that generation does not count yet is added to it whole.
    /// </summary>
    public async Task RefreshAsync(Guid orderId, int? coverGeneration, CancellationToken cancellationToken)
    {
        var states = await dbContext.Projections.AsNoTracking().ToListAsync(cancellationToken);
        var row = await dbContext.OrderFacts.FirstOrDefaultAsync(x => x.OrderId == orderId, cancellationToken);
        var logged = await dbContext.Events.AsNoTracking().Where(x => x.OrderId == orderId).ToListAsync(cancellationToken);
        var after = OrderFacts.Derive(orderId, logged.Select(ToOrderEvent));

        var before = row?.ToFacts();
        if (row is null)
        {
            // A new order counts in every generation there is, the one being built included.
            row = new OrderFactsRow { OrderId = orderId, Epoch = states.Select(x => x.BuildingGeneration ?? x.LiveGeneration).DefaultIfEmpty(0).Max() };
            dbContext.OrderFacts.Add(row);
        }

        var countedIn = row.Epoch;
        var covers = coverGeneration is { } cover && countedIn < cover;
        if (before is not null && before.Equals(after) && !covers)
            return;

        row.Set(after);
        row.Version++;
        if (covers)
            row.Epoch = coverGeneration!.Value;
        // The version check: a concurrent event of this order fails here, before any view is touched.
        await dbContext.SaveChangesAsync(cancellationToken);

        var writes = new List<(Projection Projection, int Generation, ViewRow Row)>();
        foreach (var state in states)
        {
            if (Domain.Projections.Named(state.Name) is not { } projection)
                continue;
            var diff = projection.Diff(before, after);
            writes.AddRange(diff.Select(x => (projection, state.LiveGeneration, x)));
            if (state.BuildingGeneration is { } building && building != state.LiveGeneration)
            {
                if (countedIn >= building)
                    writes.AddRange(diff.Select(x => (projection, building, x)));
                else if (covers && building == coverGeneration)
                    writes.AddRange(projection.Diff(null, after).Select(x => (projection, building, x)));
            }
        }

        // Always in the same order, so two orders touching the same rows never deadlock.
        foreach (var (projection, generation, viewRow) in writes
                     .OrderBy(x => x.Projection.Table, StringComparer.Ordinal).ThenBy(x => x.Generation).ThenBy(x => x.Row.Key, StringComparer.Ordinal))
            await AddAsync(projection, generation, viewRow, cancellationToken);
    }

    async Task AddAsync(Projection projection, int generation, ViewRow row, CancellationToken cancellationToken)
    {
        var key = projection.KeyParameter(row.Key);
        object[] parameters = [generation, key, .. row.Values.Select((value, i) => projection.ValueParameter(i, value))];
        await dbContext.Database.ExecuteSqlRawAsync(Sql.AddToRow(projection), parameters, cancellationToken);
        await dbContext.Database.ExecuteSqlRawAsync(Sql.DeleteIfZero(projection), [generation, key], cancellationToken);
    }

    public static OrderEvent ToOrderEvent(LoggedEvent logged) =>
        new(logged.EventId, logged.OrderId, logged.OccurredAt, EventBodies.Read(logged.Type, logged.SchemaVersion, logged.Body));
}
