using System.Text.Json;
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
    /// Takes up to {1} messages of due outbox groups ({0} = now), oldest group first and each group's in order, and locks
    /// their groups so that another instance skips them: one round trip for what used to be a lock and a read. The limit
    /// counts messages, so the last group may come only in part; the rest stays for the next pass, after it. The message
    /// rows are locked too: the statement reads them as of its start, so a pass that committed their deletion while this
    /// one waited to lock the group would otherwise have them sent twice; a row deleted meanwhile is not returned, one
    /// being deleted is skipped.
    /// </summary>
    public string TakeDueMessagesSql(DbContext dbContext)
    {
        var (groups, messages) = (new MappedTable(this, dbContext, typeof(OutboxState)), new MappedTable(this, dbContext, typeof(OutboxMessage)));
        return TakeDueMessagesSql(groups.Name, messages.Name, groups.Column(nameof(OutboxState.OutboxId)), groups.Column(nameof(OutboxState.DueTime)),
            groups.Column(nameof(OutboxState.Created)), messages.Column(nameof(OutboxMessage.OutboxId)),
            messages.Column(nameof(OutboxMessage.SequenceNumber)));
    }

    protected abstract string TakeDueMessagesSql(string groups, string messages, string groupId, string dueTime, string created,
        string messageGroupId, string sequenceNumber);

    /// <summary>
    /// Deletes what a pass sent ({0} = the messages' sequence numbers) and then every group of the pass ({1} = their ids)
    /// that has no message left, in one round trip. A group whose send failed, or that came only in part, keeps its
    /// unsent messages and so stays, in order, for the next pass. Pass the lists through <see cref="ListParameter{T}"/>.
    /// </summary>
    public string DeleteDeliveredSql(DbContext dbContext)
    {
        var (groups, messages) = (new MappedTable(this, dbContext, typeof(OutboxState)), new MappedTable(this, dbContext, typeof(OutboxMessage)));
        return DeleteDeliveredSql(groups.Name, messages.Name, groups.Column(nameof(OutboxState.OutboxId)),
            messages.Column(nameof(OutboxMessage.OutboxId)), messages.Column(nameof(OutboxMessage.SequenceNumber)));
    }

    protected abstract string DeleteDeliveredSql(string groups, string messages, string groupId, string messageGroupId, string sequenceNumber);

    /// <summary>A list as one parameter of <see cref="DeleteDeliveredSql"/>: an array (PostgreSQL) or a JSON array (SQL Server).</summary>
    public abstract object ListParameter<T>(IReadOnlyCollection<T> values);

    /// <summary>
    /// Claims a message for a consumer: inserts its inbox row ({0} = message id, {1} = consumer id, {2} = received).
    /// A copy already consumed affects no row (PostgreSQL) or fails with a duplicate key (SQL Server, see
    /// <see cref="ClaimFailsOnDuplicate"/>). Run first in the consumer's transaction, it also makes a concurrent copy of
    /// the same message wait on the uncommitted key until this one commits or rolls back — a lock on that one key, never
    /// on a range, so claims of different messages never wait for each other.
    /// </summary>
    public string ClaimInboxSql(DbContext dbContext)
    {
        var inbox = new MappedTable(this, dbContext, typeof(InboxState));
        return ClaimInboxSql(inbox.Name, inbox.Column(nameof(InboxState.MessageId)), inbox.Column(nameof(InboxState.ConsumerId)),
            inbox.Column(nameof(InboxState.Received)));
    }

    protected abstract string ClaimInboxSql(string table, string messageId, string consumerId, string received);

    /// <summary>True when a claim of a message already consumed fails with a duplicate key instead of affecting nothing.</summary>
    public abstract bool ClaimFailsOnDuplicate { get; }

    /// <summary>
    /// The due time of the earliest group that is not due yet ({0} = now), or none. Used to sleep until then: it never
    /// looks at due groups, so groups that another instance holds locked (all due) never make the wait zero.
    /// </summary>
    public string NextDueSql(DbContext dbContext)
    {
        var groups = new MappedTable(this, dbContext, typeof(OutboxState));
        var dueTime = groups.Column(nameof(OutboxState.DueTime));
        return NextDueSql(groups.Name, dueTime);
    }

    protected abstract string NextDueSql(string table, string dueTime);

    /// <summary>
    /// Deletes at most {1} inbox rows received before {0}; run in a loop until it deletes fewer. Each statement is
    /// short and locks a bounded number of rows (no lock escalation to the table on SQL Server), and skips rows another
    /// instance's clean-up is deleting right now.
    /// </summary>
    public string DeleteExpiredInboxBatchSql(DbContext dbContext)
    {
        var inbox = new MappedTable(this, dbContext, typeof(InboxState));
        return DeleteExpiredInboxBatchSql(inbox.Name, inbox.Column(nameof(InboxState.Received)));
    }

    protected abstract string DeleteExpiredInboxBatchSql(string table, string received);

    /// <summary>
    /// Withdraws a scheduled message ({0} = its scheduling token): deletes its group, then the message, in one round
    /// trip. Groups before messages, the order a delivery pass locks and deletes them in, so the two never deadlock: a
    /// group a pass holds makes this wait, then find nothing left to delete.
    /// </summary>
    public string WithdrawScheduledSql(DbContext dbContext)
    {
        var (groups, messages) = (new MappedTable(this, dbContext, typeof(OutboxState)), new MappedTable(this, dbContext, typeof(OutboxMessage)));
        var (groupId, messageGroupId, token) = (groups.Column(nameof(OutboxState.OutboxId)), messages.Column(nameof(OutboxMessage.OutboxId)),
            messages.Column(nameof(OutboxMessage.SchedulingTokenId)));
        return $"DELETE FROM {groups.Name} WHERE {groupId} IN (SELECT {messageGroupId} FROM {messages.Name} WHERE {token} = {{0}}); " +
            $"DELETE FROM {messages.Name} WHERE {token} = {{0}}";
    }

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
    protected override string TakeDueMessagesSql(string groups, string messages, string groupId, string dueTime, string created,
        string messageGroupId, string sequenceNumber) =>
        $"SELECT m.* FROM {groups} g JOIN {messages} m ON m.{messageGroupId} = g.{groupId} WHERE g.{dueTime} <= {{0}} " +
        $"ORDER BY g.{dueTime}, g.{created}, g.{groupId}, m.{sequenceNumber} LIMIT {{1}} FOR UPDATE OF g, m SKIP LOCKED";

    protected override string DeleteDeliveredSql(string groups, string messages, string groupId, string messageGroupId, string sequenceNumber) =>
        $"DELETE FROM {messages} WHERE {sequenceNumber} = ANY({{0}}); " +
        $"DELETE FROM {groups} g WHERE g.{groupId} = ANY({{1}}) AND NOT EXISTS (SELECT 1 FROM {messages} m WHERE m.{messageGroupId} = g.{groupId})";

    public override object ListParameter<T>(IReadOnlyCollection<T> values) => values.ToArray();

    protected override string ClaimInboxSql(string table, string messageId, string consumerId, string received) =>
        $"INSERT INTO {table} ({messageId}, {consumerId}, {received}) VALUES ({{0}}, {{1}}, {{2}}) ON CONFLICT DO NOTHING";

    public override bool ClaimFailsOnDuplicate => false;

    protected override string NextDueSql(string table, string dueTime) =>
        $"SELECT min({dueTime}) AS \"Value\" FROM {table} WHERE {dueTime} > {{0}}";

    // ctid batches: PostgreSQL's DELETE has no LIMIT. SKIP LOCKED leaves rows a concurrent clean-up holds to it.
    protected override string DeleteExpiredInboxBatchSql(string table, string received) =>
        $"DELETE FROM {table} WHERE ctid IN (SELECT ctid FROM {table} WHERE {received} < {{0}} LIMIT {{1}} FOR UPDATE SKIP LOCKED)";

    protected override string QuoteIdentifier(string name) => $"\"{name}\"";
}

sealed class SqlServerDialect : DatabaseDialect
{
    // The (DueTime, Created) index carries the clustered key (OutboxId) in its order, so the groups stream from it and
    // TOP stops the scan: only the groups taken are U-locked, each group's messages read through (OutboxId, SequenceNumber).
    protected override string TakeDueMessagesSql(string groups, string messages, string groupId, string dueTime, string created,
        string messageGroupId, string sequenceNumber) =>
        $"SELECT TOP ({{1}}) m.* FROM {groups} g WITH (UPDLOCK, ROWLOCK, READPAST) JOIN {messages} m WITH (UPDLOCK, ROWLOCK, READPAST) " +
        $"ON m.{messageGroupId} = g.{groupId} " +
        $"WHERE g.{dueTime} <= {{0}} ORDER BY g.{dueTime}, g.{created}, g.{groupId}, m.{sequenceNumber}";

    protected override string DeleteDeliveredSql(string groups, string messages, string groupId, string messageGroupId, string sequenceNumber) =>
        $"DELETE FROM {messages} WHERE {sequenceNumber} IN (SELECT CAST([value] AS bigint) FROM OPENJSON({{0}})); " +
        $"DELETE g FROM {groups} g WHERE g.{groupId} IN (SELECT CAST([value] AS uniqueidentifier) FROM OPENJSON({{1}})) " +
        $"AND NOT EXISTS (SELECT 1 FROM {messages} m WHERE m.{messageGroupId} = g.{groupId})";

    public override object ListParameter<T>(IReadOnlyCollection<T> values) => JsonSerializer.Serialize(values);

    // A plain insert: it X-locks only its own key, and a concurrent copy of the same message waits on that key, then
    // fails with 2627/2601 once the first commits (the caller reads that as "already consumed"). An existence check
    // under UPDLOCK, HOLDLOCK would take a range lock on a key not there yet — with sequential ids the same range at
    // the end of the index for every claim — and queue every consumer of the service behind one another.
    protected override string ClaimInboxSql(string table, string messageId, string consumerId, string received) =>
        $"INSERT INTO {table} ({messageId}, {consumerId}, {received}) VALUES ({{0}}, {{1}}, {{2}})";

    public override bool ClaimFailsOnDuplicate => true;

    // READPAST: a group locked by a delivery pass is due, so never the next due one; it must not block this read.
    protected override string NextDueSql(string table, string dueTime) =>
        $"SELECT min({dueTime}) AS [Value] FROM {table} WITH (READPAST) WHERE {dueTime} > {{0}}";

    // TOP bounds the locks of one statement below SQL Server's escalation threshold (5,000); READPAST skips rows a
    // concurrent clean-up holds.
    protected override string DeleteExpiredInboxBatchSql(string table, string received) =>
        $"DELETE TOP ({{1}}) FROM {table} WITH (ROWLOCK, READPAST) WHERE {received} < {{0}}";

    protected override string QuoteIdentifier(string name) => $"[{name}]";
}
