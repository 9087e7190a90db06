using System.Data;
using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Data;
using Shop.Analytics.Domain;

namespace Shop.Analytics.Projections;

/// <summary>
/// The statements of ingest and replay, for PostgreSQL and SQL Server: appending an event unless it is logged, loading
/// what an order's refresh reads, writing its facts with a version check, and an atomic "add to these view rows" (so
/// concurrent orders never lose an update), each added to a <see cref="SqlBatch"/>; and the replay horizon below which
/// every log row has committed.
/// </summary>
abstract class AnalyticsSql
{
    public static AnalyticsSql For(DbContext dbContext) => dbContext.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => new PostgresAnalyticsSql(),
        "Microsoft.EntityFrameworkCore.SqlServer" => new SqlServerAnalyticsSql(),
        var other => throw new NotSupportedException($"Analytics does not support the EF Core provider '{other}'."),
    };

    /// <summary>The columns of <c>OrderFacts</c> besides its key, as <see cref="FactsValues"/> gives them.</summary>
    protected static readonly string[] FactsColumns =
    [
        "SubmittedAt", "SubmittedTotal", "Lines", "ReservedAt", "ReleasedAt", "PaidAt", "RefundedAt", "ShippedAt", "Outcome", "EndedAt",
        "CompletedTotal", "CancelReason", "Version", "Epoch",
    ];

    protected abstract string Quote(string name);

    /// <summary>
    /// Appends the event unless its id is logged: one result set, with the row's <c>RecordedAt</c> when it was appended and
    /// empty for a duplicate. A concurrent copy waits for the first one's transaction and then finds it logged.
    /// </summary>
    public abstract void AppendEvent(SqlBatch batch, LoggedEvent logged);

    /// <summary>
    /// Three result sets, in this order: every projection's state (name, live generation, generation being built), the
    /// order's facts row (<see cref="FactsColumns"/>; none for a new order) and the order's logged events.
    /// </summary>
    public void LoadOrder(SqlBatch batch, Guid orderId)
    {
        var order = batch.Parameter(orderId);
        batch.Append($"SELECT {Quote("Name")}, {Quote("LiveGeneration")}, {Quote("BuildingGeneration")} FROM {Quote("Projections")}")
            .Append($"SELECT {string.Join(", ", FactsColumns.Select(Quote))} FROM {Quote("OrderFacts")} WHERE {Quote("OrderId")} = {order}")
            .Append($"SELECT {Quote("EventId")}, {Quote("OccurredAt")}, {Quote("Type")}, {Quote("SchemaVersion")}, {Quote("Body")} " +
                $"FROM {Quote("Events")} WHERE {Quote("OrderId")} = {order}");
    }

    /// <summary>
    /// Writes the facts row: inserted when <paramref name="expectedVersion"/> is null (a concurrent insert fails on the key),
    /// else updated only at that version. One result set: the new version, or no row when another event of the order
    /// changed it first.
    /// </summary>
    public abstract void WriteFacts(SqlBatch batch, OrderFactsRow row, int? expectedVersion);

    /// <summary>Adds each row's values to the view's row of its key in <paramref name="generation"/>, creating it when missing.</summary>
    public abstract void AddToRows(SqlBatch batch, Projection projection, int generation, IReadOnlyList<ViewRow> rows);

    /// <summary>Deletes the rows of these keys whose every value is zero: an order that moved away leaves no empty row.</summary>
    public void DeleteIfZero(SqlBatch batch, Projection projection, int generation, IReadOnlyList<string> keys) =>
        batch.Append($"DELETE FROM {Quote(projection.Table)} WHERE {Quote("Generation")} = {batch.Parameter(generation)} AND " +
            $"{Quote(projection.KeyColumn)} IN ({string.Join(", ", keys.Select(key => batch.Parameter(projection.KeyParameter(key))))}) AND " +
            string.Join(" AND ", projection.ValueColumns.Select(column => $"{Quote(column)} = 0")));

    /// <summary>The placeholders of a row's <see cref="FactsColumns"/>, in their order.</summary>
    protected static IReadOnlyList<string> FactsValues(SqlBatch batch, OrderFactsRow row) =>
    [
        batch.Parameter(row.SubmittedAt, DbType.DateTimeOffset), batch.Parameter(row.SubmittedTotal), batch.Parameter(row.Lines),
        batch.Parameter(row.ReservedAt, DbType.DateTimeOffset), batch.Parameter(row.ReleasedAt, DbType.DateTimeOffset),
        batch.Parameter(row.PaidAt, DbType.DateTimeOffset), batch.Parameter(row.RefundedAt, DbType.DateTimeOffset),
        batch.Parameter(row.ShippedAt, DbType.DateTimeOffset), batch.Parameter(row.Outcome.ToString()),
        batch.Parameter(row.EndedAt, DbType.DateTimeOffset), batch.Parameter(row.CompletedTotal), batch.Parameter(row.CancelReason, DbType.String),
        batch.Parameter(row.Version), batch.Parameter(row.Epoch),
    ];

    /// <summary>The placeholders of one view row: generation, key, then its values (money as decimal, counts as bigint).</summary>
    protected static IReadOnlyList<string> RowValues(SqlBatch batch, Projection projection, int generation, ViewRow row) =>
    [
        batch.Parameter(generation), batch.Parameter(projection.KeyParameter(row.Key)),
        .. row.Values.Select((value, i) => batch.Parameter(projection.ValueParameter(i, value))),
    ];

    /// <summary>
    /// A stamp taken now ("Value"): once <see cref="HorizonSql"/> reaches it, every transaction running now has ended.
    /// </summary>
    public abstract string StampNowSql { get; }

    /// <summary>The horizon ("Value"): every log row stamped below it has committed (or never will).</summary>
    public abstract string HorizonSql { get; }

    /// <summary>
    /// Up to {3} log rows stamped below {0}, after the cursor ({1} = stamp, {2} = position), in stamp order: a
    /// gap-safe read — a row that commits late has a stamp at or above the horizon, so it is read on a later pass.
    /// </summary>
    public abstract string ReadSafeSql { get; }
}

sealed class PostgresAnalyticsSql : AnalyticsSql
{
    protected override string Quote(string name) => $"\"{name}\"";

    public override void AppendEvent(SqlBatch batch, LoggedEvent logged) =>
        batch.Append($"""
            INSERT INTO "Events" ("EventId", "Type", "SchemaVersion", "OrderId", "OccurredAt", "Body")
            VALUES ({batch.Parameter(logged.EventId)}, {batch.Parameter(logged.Type)}, {batch.Parameter(logged.SchemaVersion)}, {batch.Parameter(logged.OrderId)}, {batch.Parameter(logged.OccurredAt)}, {batch.Parameter(logged.Body)})
            ON CONFLICT ("EventId") DO NOTHING RETURNING "RecordedAt"
            """);

    public override void WriteFacts(SqlBatch batch, OrderFactsRow row, int? expectedVersion)
    {
        var values = FactsValues(batch, row);
        var order = batch.Parameter(row.OrderId);
        batch.Append(expectedVersion is { } version
            ? $"UPDATE \"OrderFacts\" SET {string.Join(", ", FactsColumns.Select((column, i) => $"{Quote(column)} = {values[i]}"))} " +
              $"WHERE \"OrderId\" = {order} AND \"Version\" = {batch.Parameter(version)} RETURNING \"Version\""
            : $"INSERT INTO \"OrderFacts\" (\"OrderId\", {string.Join(", ", FactsColumns.Select(Quote))}) VALUES ({order}, {string.Join(", ", values)}) " +
              "RETURNING \"Version\"");
    }

    // One statement for all of a view's rows: ON CONFLICT takes them in the order listed, so every order locks the rows
    // in key order and two orders never deadlock (the keys of one statement are distinct: a diff sums by key).
    public override void AddToRows(SqlBatch batch, Projection projection, int generation, IReadOnlyList<ViewRow> rows)
    {
        var table = Quote(projection.Table);
        var columns = new[] { "Generation", projection.KeyColumn }.Concat(projection.ValueColumns).Select(Quote);
        var values = rows.Select(row => $"({string.Join(", ", RowValues(batch, projection, generation, row))})");
        var updates = projection.ValueColumns.Select(Quote).Select(c => $"{c} = {table}.{c} + EXCLUDED.{c}");
        batch.Append($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {string.Join(", ", values)} " +
            $"ON CONFLICT ({Quote("Generation")}, {Quote(projection.KeyColumn)}) DO UPDATE SET {string.Join(", ", updates)}");
    }

    // xmax of a snapshot: the first transaction id not yet assigned; xmin: the oldest still running.
    public override string StampNowSql => """SELECT (pg_snapshot_xmax(pg_current_snapshot())::text)::bigint AS "Value" """;

    public override string HorizonSql => """SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS "Value" """;

    public override string ReadSafeSql =>
        $$"""
         SELECT "{{AnalyticsDbContext.PostgresTxIdColumn}}" AS "Stamp", "Position", "OrderId" FROM "Events"
         WHERE "{{AnalyticsDbContext.PostgresTxIdColumn}}" < {0}
           AND ("{{AnalyticsDbContext.PostgresTxIdColumn}}", "Position") > ({1}, {2})
         ORDER BY "{{AnalyticsDbContext.PostgresTxIdColumn}}", "Position" LIMIT {3}
         """;
}

sealed class SqlServerAnalyticsSql : AnalyticsSql
{
    protected override string Quote(string name) => $"[{name}]";

    // UPDLOCK, HOLDLOCK: a concurrent copy of the event waits on the key (range) instead of both inserting. OUTPUT goes
    // through a table variable: [Events] has a trigger (append-only), and OUTPUT without INTO refuses triggered tables.
    public override void AppendEvent(SqlBatch batch, LoggedEvent logged)
    {
        var eventId = batch.Parameter(logged.EventId);
        batch.Append("DECLARE @appended TABLE ([RecordedAt] datetimeoffset)")
            .Append($"""
                INSERT INTO [Events] ([EventId], [Type], [SchemaVersion], [OrderId], [OccurredAt], [Body]) OUTPUT inserted.[RecordedAt] INTO @appended
                SELECT {eventId}, {batch.Parameter(logged.Type)}, {batch.Parameter(logged.SchemaVersion)}, {batch.Parameter(logged.OrderId)}, {batch.Parameter(logged.OccurredAt)}, {batch.Parameter(logged.Body)}
                WHERE NOT EXISTS (SELECT 1 FROM [Events] WITH (UPDLOCK, HOLDLOCK) WHERE [EventId] = {eventId})
                """)
            .Append("SELECT [RecordedAt] FROM @appended");
    }

    public override void WriteFacts(SqlBatch batch, OrderFactsRow row, int? expectedVersion)
    {
        var values = FactsValues(batch, row);
        var order = batch.Parameter(row.OrderId);
        batch.Append(expectedVersion is { } version
            ? $"UPDATE [OrderFacts] SET {string.Join(", ", FactsColumns.Select((column, i) => $"{Quote(column)} = {values[i]}"))} " +
              $"OUTPUT inserted.[Version] WHERE [OrderId] = {order} AND [Version] = {batch.Parameter(version)}"
            : $"INSERT INTO [OrderFacts] ([OrderId], {string.Join(", ", FactsColumns.Select(Quote))}) OUTPUT inserted.[Version] " +
              $"VALUES ({order}, {string.Join(", ", values)})");
    }

    // One MERGE per row, in key order (the caller's): MERGE's own order over several source rows is the plan's, and rows
    // locked in key order by every order never deadlock. HOLDLOCK: two orders creating the same row wait for each other
    // instead of both inserting.
    public override void AddToRows(SqlBatch batch, Projection projection, int generation, IReadOnlyList<ViewRow> rows)
    {
        var names = new[] { "Generation", projection.KeyColumn }.Concat(projection.ValueColumns).ToList();
        var updates = string.Join(", ", projection.ValueColumns.Select(Quote).Select(c => $"t.{c} = t.{c} + s.{c}"));
        foreach (var row in rows)
        {
            var values = RowValues(batch, projection, generation, row);
            var source = string.Join(", ", names.Select((c, i) => $"{values[i]} AS {Quote(c)}"));
            batch.Append($"MERGE {Quote(projection.Table)} WITH (HOLDLOCK) AS t USING (SELECT {source}) AS s " +
                $"ON t.{Quote("Generation")} = s.{Quote("Generation")} AND t.{Quote(projection.KeyColumn)} = s.{Quote(projection.KeyColumn)} " +
                $"WHEN MATCHED THEN UPDATE SET {updates} " +
                $"WHEN NOT MATCHED THEN INSERT ({string.Join(", ", names.Select(Quote))}) VALUES ({string.Join(", ", names.Select(c => $"s.{Quote(c)}"))})");
        }
    }

    // @@DBTS: the last rowversion handed out; MIN_ACTIVE_ROWVERSION(): the lowest one still uncommitted (not @@DBTS).
    public override string StampNowSql => "SELECT CONVERT(bigint, @@DBTS) + 1 AS [Value]";

    public override string HorizonSql => "SELECT CONVERT(bigint, MIN_ACTIVE_ROWVERSION()) AS [Value]";

    public override string ReadSafeSql =>
        $$"""
         SELECT TOP ({3}) CONVERT(bigint, [{{AnalyticsDbContext.SqlServerRowVersionColumn}}]) AS [Stamp], [Position], [OrderId] FROM [Events]
         WHERE CONVERT(bigint, [{{AnalyticsDbContext.SqlServerRowVersionColumn}}]) < {0}
           AND CONVERT(bigint, [{{AnalyticsDbContext.SqlServerRowVersionColumn}}]) > {1}
         ORDER BY [{{AnalyticsDbContext.SqlServerRowVersionColumn}}]
         """;
}

/// <summary>One log row as a replay reads it.</summary>
sealed record LogCursorRow(long Stamp, long Position, Guid OrderId);
