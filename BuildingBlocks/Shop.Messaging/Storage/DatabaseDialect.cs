using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Shop.Messaging.Storage;

/// <summary>The few statements that differ between PostgreSQL, SQL Server and SQLite.</summary>
abstract class DatabaseDialect
{
    public static DatabaseDialect For(DbContext dbContext) => dbContext.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => new PostgresDialect(),
        "Microsoft.EntityFrameworkCore.SqlServer" => new SqlServerDialect(),
        "Microsoft.EntityFrameworkCore.Sqlite" => new SqliteDialect(),
        var other => throw new NotSupportedException($"The Shop outbox does not support the EF Core provider '{other}'."),
    };

    /// <summary>
    /// Selects up to {1} due outbox groups ({0} = now), oldest first, locking them so that another instance skips them.
    /// </summary>
    public string LockDueGroupsSql(DbContext dbContext)
    {
        var entity = dbContext.Model.FindEntityType(typeof(OutboxState))!;
        var table = Quote(entity.GetTableName()!, entity.GetSchema());
        var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        string Column(string property) => QuoteIdentifier(entity.FindProperty(property)!.GetColumnName(store)!);

        return LockDueGroupsSql(table, Column(nameof(OutboxState.DueTime)), Column(nameof(OutboxState.Created)));
    }

    protected abstract string LockDueGroupsSql(string table, string dueTime, string created);

    protected abstract string QuoteIdentifier(string name);

    string Quote(string table, string? schema) =>
        schema is null ? QuoteIdentifier(table) : $"{QuoteIdentifier(schema)}.{QuoteIdentifier(table)}";
}

sealed class PostgresDialect : DatabaseDialect
{
    protected override string LockDueGroupsSql(string table, string dueTime, string created) =>
        $"SELECT * FROM {table} WHERE {dueTime} <= {{0}} ORDER BY {dueTime}, {created} LIMIT {{1}} FOR UPDATE SKIP LOCKED";

    protected override string QuoteIdentifier(string name) => $"\"{name}\"";
}

sealed class SqlServerDialect : DatabaseDialect
{
    protected override string LockDueGroupsSql(string table, string dueTime, string created) =>
        $"SELECT TOP ({{1}}) * FROM {table} WITH (UPDLOCK, ROWLOCK, READPAST) WHERE {dueTime} <= {{0}} ORDER BY {dueTime}, {created}";

    protected override string QuoteIdentifier(string name) => $"[{name}]";
}

/// <summary>SQLite has one writer at a time, so no row locks are needed (or possible).</summary>
sealed class SqliteDialect : DatabaseDialect
{
    protected override string LockDueGroupsSql(string table, string dueTime, string created) =>
        $"SELECT * FROM {table} WHERE {dueTime} <= {{0}} ORDER BY {dueTime}, {created} LIMIT {{1}}";

    protected override string QuoteIdentifier(string name) => $"\"{name}\"";
}
