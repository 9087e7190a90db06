using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Data;
using Shop.Analytics.Domain;

namespace Shop.Analytics.Projections;

/// <summary>
/// The statements that differ between PostgreSQL and SQL Server: an atomic "add to this view row" (so concurrent orders
/// never lose an update), and the replay horizon below which every log row has committed.
/// </summary>
abstract class AnalyticsSql
{
    public static AnalyticsSql For(DbContext dbContext) => dbContext.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => new PostgresAnalyticsSql(),
        "Microsoft.EntityFrameworkCore.SqlServer" => new SqlServerAnalyticsSql(),
        var other => throw new NotSupportedException($"Analytics does not support the EF Core provider '{other}'."),
    };

    protected abstract string Quote(string name);

    /// <summary>Adds the values ({2}, {3}, ...) to the row ({0} = generation, {1} = key), creating it when missing.</summary>
    public abstract string AddToRow(Projection projection);

    /// <summary>Deletes the row ({0} = generation, {1} = key) when every value is zero: an order that moved away leaves no empty row.</summary>
    public string DeleteIfZero(Projection projection) =>
        $"DELETE FROM {Quote(projection.Table)} WHERE {Quote("Generation")} = {{0}} AND {Quote(projection.KeyColumn)} = {{1}} AND " +
        string.Join(" AND ", projection.ValueColumns.Select(column => $"{Quote(column)} = 0"));

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

    public override string AddToRow(Projection projection)
    {
        var table = Quote(projection.Table);
        var columns = new[] { "Generation", projection.KeyColumn }.Concat(projection.ValueColumns).Select(Quote).ToList();
        var values = string.Join(", ", columns.Select((_, i) => $"{{{i}}}"));
        var updates = string.Join(", ", projection.ValueColumns.Select(Quote).Select(c => $"{c} = {table}.{c} + EXCLUDED.{c}"));
        return $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({values}) " +
            $"ON CONFLICT ({Quote("Generation")}, {Quote(projection.KeyColumn)}) DO UPDATE SET {updates}";
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

    public override string AddToRow(Projection projection)
    {
        var names = new[] { "Generation", projection.KeyColumn }.Concat(projection.ValueColumns).ToList();
        var source = string.Join(", ", names.Select((c, i) => $"{{{i}}} AS {Quote(c)}"));
        var updates = string.Join(", ", projection.ValueColumns.Select(Quote).Select(c => $"t.{c} = t.{c} + s.{c}"));
        // HOLDLOCK: two orders creating the same row wait for each other instead of both inserting.
        return $"MERGE {Quote(projection.Table)} WITH (HOLDLOCK) AS t USING (SELECT {source}) AS s " +
            $"ON t.{Quote("Generation")} = s.{Quote("Generation")} AND t.{Quote(projection.KeyColumn)} = s.{Quote(projection.KeyColumn)} " +
            $"WHEN MATCHED THEN UPDATE SET {updates} " +
            $"WHEN NOT MATCHED THEN INSERT ({string.Join(", ", names.Select(Quote))}) VALUES ({string.Join(", ", names.Select(c => $"s.{Quote(c)}"))});";
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
