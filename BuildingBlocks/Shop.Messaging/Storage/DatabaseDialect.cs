using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Shop.Messaging.Storage;

/// <summary>The few statements that differ between PostgreSQL and SQL Server.</summary>
abstract class DatabaseDialect
{
    public static DatabaseDialect For(DbContext dbContext) => dbContext.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => new PostgresDialect(),
        "Microsoft.EntityFrameworkCore.SqlServer" => new SqlServerDialect(),
        var other => throw new NotSupportedException($"The Shop outbox does not support the EF Core provider '{other}'."),
    };

    /// <summary>
    /// Selects up to {1} due outbox groups ({0} = now), oldest first, locking them so that another instance skips them.
    /// </summary>
    public string LockDueGroupsSql(DbContext dbContext)
    {
        var groups = new MappedTable(this, dbContext, typeof(OutboxState));
        return LockDueGroupsSql(groups.Name, groups.Column(nameof(OutboxState.DueTime)), groups.Column(nameof(OutboxState.Created)));
    }

    protected abstract string LockDueGroupsSql(string table, string dueTime, string created);

    /// <summary>
    /// Claims a message for a consumer: inserts its inbox row ({0} = message id, {1} = consumer id, {2} = received)
    /// unless the row exists, and affects one row only when it did not. Run first in the consumer's transaction, it
    /// also makes a concurrent copy of the same message wait until this one commits or rolls back.
    /// </summary>
    public string ClaimInboxSql(DbContext dbContext)
    {
        var inbox = new MappedTable(this, dbContext, typeof(InboxState));
        return ClaimInboxSql(inbox.Name, inbox.Column(nameof(InboxState.MessageId)), inbox.Column(nameof(InboxState.ConsumerId)),
            inbox.Column(nameof(InboxState.Received)));
    }

    protected abstract string ClaimInboxSql(string table, string messageId, string consumerId, string received);

    protected abstract string QuoteIdentifier(string name);

    /// <summary>An entity's table and columns as the model maps them (a service may rename or move them), quoted.</summary>
    readonly struct MappedTable(DatabaseDialect dialect, DbContext dbContext, Type entityType)
    {
        readonly IEntityType _entity = dbContext.Model.FindEntityType(entityType)!;

        public string Name => _entity.GetSchema() is { } schema
            ? $"{dialect.QuoteIdentifier(schema)}.{dialect.QuoteIdentifier(_entity.GetTableName()!)}"
            : dialect.QuoteIdentifier(_entity.GetTableName()!);

        public string Column(string property) => dialect.QuoteIdentifier(
            _entity.FindProperty(property)!.GetColumnName(StoreObjectIdentifier.Table(_entity.GetTableName()!, _entity.GetSchema()))!);
    }
}

sealed class PostgresDialect : DatabaseDialect
{
    protected override string LockDueGroupsSql(string table, string dueTime, string created) =>
        $"SELECT * FROM {table} WHERE {dueTime} <= {{0}} ORDER BY {dueTime}, {created} LIMIT {{1}} FOR UPDATE SKIP LOCKED";

    protected override string ClaimInboxSql(string table, string messageId, string consumerId, string received) =>
        $"INSERT INTO {table} ({messageId}, {consumerId}, {received}) VALUES ({{0}}, {{1}}, {{2}}) ON CONFLICT DO NOTHING";

    protected override string QuoteIdentifier(string name) => $"\"{name}\"";
}

sealed class SqlServerDialect : DatabaseDialect
{
    protected override string LockDueGroupsSql(string table, string dueTime, string created) =>
        $"SELECT TOP ({{1}}) * FROM {table} WITH (UPDLOCK, ROWLOCK, READPAST) WHERE {dueTime} <= {{0}} ORDER BY {dueTime}, {created}";

    // UPDLOCK + HOLDLOCK hold the key range, so a concurrent claim of the same message waits instead of inserting too.
    protected override string ClaimInboxSql(string table, string messageId, string consumerId, string received) =>
        $"INSERT INTO {table} ({messageId}, {consumerId}, {received}) SELECT {{0}}, {{1}}, {{2}} " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {messageId} = {{0}} AND {consumerId} = {{1}})";

    protected override string QuoteIdentifier(string name) => $"[{name}]";
}
