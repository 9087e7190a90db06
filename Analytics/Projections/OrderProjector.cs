using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Data;
using Shop.Analytics.Domain;
using Shop.Data;

namespace Shop.Analytics.Projections;

/// <summary>
/// The one way anything reaches the log and the views, inside the caller's transaction (a consumer's, an import's, a
/// rebuild's): append the event unless its id is logged, re-derive its order's facts from all of the order's logged
/// events, and change every view by the difference. The facts row's version serializes the events of one order: a
/// concurrent event of the same order fails the version check and is retried on the committed state. Two round trips
/// per event (append and read; write the facts and the views), no change tracking (docs/performance.md).
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
        // One round trip: append (a copy committed earlier is found, a concurrent one waits for the first's outcome) and
        // read what the refresh needs, the appended event included.
        var batch = new SqlBatch();
        Sql.AppendEvent(batch, logged);
        Sql.LoadOrder(batch, logged.OrderId);
        LoadedOrder order;
        await using (var command = batch.CreateCommand(dbContext))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
                return false;
            logged.RecordedAt = reader.GetFieldValue<DateTimeOffset>(0);
            await reader.NextResultAsync(cancellationToken);
            order = await ReadOrderAsync(reader, logged.OrderId, cancellationToken);
        }

        await ApplyAsync(order, coverGeneration: null, cancellationToken);
        metrics.RecordLag(logged.RecordedAt - logged.OccurredAt);
        return true;
    }

    /// <summary>
    /// Re-derives the order's facts from the log and changes the views by the difference. With
    /// <paramref name="coverGeneration"/> (a rebuild), an order that generation does not count yet is added to it whole.
    /// </summary>
    public async Task RefreshAsync(Guid orderId, int? coverGeneration, CancellationToken cancellationToken)
    {
        var batch = new SqlBatch();
        Sql.LoadOrder(batch, orderId);
        LoadedOrder order;
        await using (var command = batch.CreateCommand(dbContext))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            order = await ReadOrderAsync(reader, orderId, cancellationToken);
        await ApplyAsync(order, coverGeneration, cancellationToken);
    }

    /// <summary>What a refresh reads: the projections' generations, the order's stored facts (null when new) and its events.</summary>
    sealed record LoadedOrder(Guid OrderId, IReadOnlyList<(string Name, int Live, int? Building)> States, OrderFactsRow? Row, IReadOnlyList<OrderEvent> Events);

    static async Task<LoadedOrder> ReadOrderAsync(DbDataReader reader, Guid orderId, CancellationToken cancellationToken)
    {
        var states = new List<(string, int, int?)>();
        while (await reader.ReadAsync(cancellationToken))
            states.Add((reader.GetString(0), reader.GetInt32(1), await reader.IsDBNullAsync(2, cancellationToken) ? (int?)null : reader.GetInt32(2)));

        await reader.NextResultAsync(cancellationToken);
        OrderFactsRow? row = null;
        if (await reader.ReadAsync(cancellationToken))
        {
            DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            // In the order of AnalyticsSql.FactsColumns.
            row = new OrderFactsRow
            {
                OrderId = orderId,
                SubmittedAt = Time(0),
                SubmittedTotal = reader.GetDecimal(1),
                Lines = reader.GetString(2),
                ReservedAt = Time(3),
                ReleasedAt = Time(4),
                PaidAt = Time(5),
                RefundedAt = Time(6),
                ShippedAt = Time(7),
                Outcome = Enum.Parse<OrderOutcome>(reader.GetString(8)),
                EndedAt = Time(9),
                CompletedTotal = reader.GetDecimal(10),
                CancelReason = reader.IsDBNull(11) ? null : reader.GetString(11),
                Version = reader.GetInt32(12),
                Epoch = reader.GetInt32(13),
            };
        }

        await reader.NextResultAsync(cancellationToken);
        var events = new List<OrderEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new OrderEvent(reader.GetGuid(0), orderId, reader.GetFieldValue<DateTimeOffset>(1),
                EventBodies.Read(reader.GetString(2), reader.GetInt32(3), reader.GetString(4))));
        }

        return new LoadedOrder(orderId, states, row, events);
    }

    /// <summary>Writes the order's new facts and every view's difference in one round trip; nothing when nothing changed.</summary>
    async Task ApplyAsync(LoadedOrder order, int? coverGeneration, CancellationToken cancellationToken)
    {
        var after = OrderFacts.Derive(order.OrderId, order.Events);
        var before = order.Row?.ToFacts();
        // A new order counts in every generation there is, the one being built included.
        var row = order.Row ?? new OrderFactsRow { OrderId = order.OrderId, Epoch = order.States.Select(x => x.Building ?? x.Live).DefaultIfEmpty(0).Max() };
        var expectedVersion = order.Row?.Version;

        var countedIn = row.Epoch;
        var covers = coverGeneration is { } cover && countedIn < cover;
        if (before is not null && before.Equals(after) && !covers)
            return;

        row.Set(after);
        row.Version++;
        if (covers)
            row.Epoch = coverGeneration!.Value;

        var writes = new List<(Projection Projection, int Generation, ViewRow Row)>();
        foreach (var (name, live, building) in order.States)
        {
            if (Domain.Projections.Named(name) is not { } projection)
                continue;
            var diff = projection.Diff(before, after);
            writes.AddRange(diff.Select(x => (projection, live, x)));
            if (building is { } generation && generation != live)
            {
                if (countedIn >= generation)
                    writes.AddRange(diff.Select(x => (projection, generation, x)));
                else if (covers && generation == coverGeneration)
                    writes.AddRange(projection.Diff(null, after).Select(x => (projection, generation, x)));
            }
        }

        // The facts first: the version check (or the key of a new order) fails before any view row is locked, and the
        // caller's transaction is rolled back whatever ran after it. The views always in the same order, so two orders
        // touching the same rows never deadlock.
        var batch = new SqlBatch();
        Sql.WriteFacts(batch, row, expectedVersion);
        foreach (var group in writes.GroupBy(x => (x.Projection, x.Generation))
                     .OrderBy(x => x.Key.Projection.Table, StringComparer.Ordinal).ThenBy(x => x.Key.Generation))
        {
            var rows = group.Select(x => x.Row).OrderBy(x => x.Key, StringComparer.Ordinal).ToList();
            Sql.AddToRows(batch, group.Key.Projection, group.Key.Generation, rows);
            // Only a row that lost something can end at zero: every row is a sum of non-negative contributions.
            var shrunk = rows.Where(x => x.Values.Any(value => value < 0)).Select(x => x.Key).ToList();
            if (shrunk.Count > 0)
                Sql.DeleteIfZero(batch, group.Key.Projection, group.Key.Generation, shrunk);
        }

        try
        {
            await using var command = batch.CreateCommand(dbContext);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var written = await reader.ReadAsync(cancellationToken);
            // Reads past every statement's result, so an error in a later one surfaces here.
            while (await reader.NextResultAsync(cancellationToken))
            {
            }

            if (!written)
                throw new DbUpdateConcurrencyException($"The facts of order {order.OrderId} changed since they were read (version {expectedVersion}).");
        }
        catch (DbException exception) when (DatabaseErrors.IsUniqueViolation(exception))
        {
            // A concurrent first event of the same order inserted its facts: a lost race, retried on the committed state.
            throw new DbUpdateException($"The facts of order {order.OrderId} were inserted concurrently.", exception);
        }
    }

    public static OrderEvent ToOrderEvent(LoggedEvent logged) =>
        new(logged.EventId, logged.OrderId, logged.OccurredAt, EventBodies.Read(logged.Type, logged.SchemaVersion, logged.Body));
}
