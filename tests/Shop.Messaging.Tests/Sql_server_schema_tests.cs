using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Storage;
using Shop.Messaging.Tests.Infrastructure;

namespace Shop.Messaging.Tests;

/// <summary>No SQL Server runs here: these prove the model and the lock statement for the SQL Server provider.</summary>
public sealed class When_the_messaging_tables_target_sql_server
{
    static TestDbContext SqlServerContext() =>
        new(new DbContextOptionsBuilder<TestDbContext>().UseSqlServer("Server=localhost;Database=model_only").Options);

    [Fact]
    public void Should_generate_a_create_script_with_every_messaging_table()
    {
        using var db = SqlServerContext();

        var script = db.Database.GenerateCreateScript();

        Assert.Contains("CREATE TABLE [InboxState]", script);
        Assert.Contains("CREATE TABLE [OutboxState]", script);
        Assert.Contains("CREATE TABLE [OutboxMessage]", script);
        Assert.Contains("[SequenceNumber] bigint NOT NULL IDENTITY", script);
        Assert.Contains("CONSTRAINT [PK_InboxState] PRIMARY KEY ([MessageId], [ConsumerId])", script);
        Assert.Contains("[CurrentState] nvarchar(64) NOT NULL", script);
    }

    [Fact]
    public void Should_take_due_messages_locking_their_groups_with_updlock_and_readpast()
    {
        using var db = SqlServerContext();

        var sql = DatabaseDialect.For(db).TakeDueMessagesSql(db);

        Assert.Equal("SELECT TOP ({1}) m.* FROM [OutboxState] g WITH (UPDLOCK, ROWLOCK, READPAST) JOIN [OutboxMessage] m WITH (UPDLOCK, ROWLOCK, READPAST) " +
            "ON m.[OutboxId] = g.[OutboxId] " +
            "WHERE g.[DueTime] <= {0} ORDER BY g.[DueTime], g.[Created], g.[OutboxId], m.[SequenceNumber]", sql);
    }

    [Fact]
    public void Should_delete_what_was_sent_and_the_groups_left_empty_in_one_batch()
    {
        using var db = SqlServerContext();
        var dialect = DatabaseDialect.For(db);

        var sql = dialect.DeleteDeliveredSql(db);

        Assert.Equal("DELETE FROM [OutboxMessage] WHERE [SequenceNumber] IN (SELECT CAST([value] AS bigint) FROM OPENJSON({0})); " +
            "DELETE g FROM [OutboxState] g WHERE g.[OutboxId] IN (SELECT CAST([value] AS uniqueidentifier) FROM OPENJSON({1})) " +
            "AND NOT EXISTS (SELECT 1 FROM [OutboxMessage] m WHERE m.[OutboxId] = g.[OutboxId])", sql);
        Assert.Equal("[1,2]", dialect.ListParameter(new long[] { 1, 2 }));
    }

    [Fact]
    public void Should_claim_the_inbox_with_a_plain_insert_that_locks_one_key()
    {
        using var db = SqlServerContext();
        var dialect = DatabaseDialect.For(db);

        var sql = dialect.ClaimInboxSql(db);

        // No existence check under UPDLOCK, HOLDLOCK: that takes a key-range lock, with sequential ids the same range at
        // the end of the index for every claim. A duplicate is a 2601/2627 the filter reads as "already consumed".
        Assert.Equal("INSERT INTO [InboxState] ([MessageId], [ConsumerId], [Received]) VALUES ({0}, {1}, {2})", sql);
        Assert.DoesNotContain("HOLDLOCK", sql);
        Assert.DoesNotContain("SERIALIZABLE", sql);
        Assert.True(dialect.ClaimFailsOnDuplicate);
    }

    [Fact]
    public void Should_index_the_groups_in_the_order_the_delivery_query_takes_them()
    {
        using var db = SqlServerContext();

        var script = db.Database.GenerateCreateScript();

        Assert.Contains("CREATE INDEX [IX_OutboxState_DueTime_Created] ON [OutboxState] ([DueTime], [Created]);", script);
        Assert.Contains("ORDER BY g.[DueTime], g.[Created], g.[OutboxId]", DatabaseDialect.For(db).TakeDueMessagesSql(db));
    }

    [Fact]
    public void Should_read_the_next_due_time_past_the_locked_due_groups()
    {
        using var db = SqlServerContext();

        var sql = DatabaseDialect.For(db).NextDueSql(db);

        Assert.Equal("SELECT min([DueTime]) AS [Value] FROM [OutboxState] WITH (READPAST) WHERE [DueTime] > {0}", sql);
    }

    [Fact]
    public void Should_clean_up_the_inbox_in_bounded_batches()
    {
        using var db = SqlServerContext();

        var sql = DatabaseDialect.For(db).DeleteExpiredInboxBatchSql(db);

        // TOP keeps each statement's locks below the escalation threshold (5,000); READPAST skips a concurrent clean-up's rows.
        Assert.Equal("DELETE TOP ({1}) FROM [InboxState] WITH (ROWLOCK, READPAST) WHERE [Received] < {0}", sql);
    }

    [Fact]
    public void Should_withdraw_a_scheduled_message_group_first_in_one_batch()
    {
        using var db = SqlServerContext();

        var sql = DatabaseDialect.For(db).WithdrawScheduledSql(db);

        // Groups before messages, as a delivery pass deletes them: the withdraw waits on a group the pass holds (its
        // UPDLOCK) while holding no message row the pass is about to delete.
        Assert.Equal("DELETE FROM [OutboxState] WHERE [OutboxId] IN (SELECT [OutboxId] FROM [OutboxMessage] WHERE [SchedulingTokenId] = {0}); " +
            "DELETE FROM [OutboxMessage] WHERE [SchedulingTokenId] = {0}", sql);
    }
}

/// <summary>The same statements for PostgreSQL (which these tests also run, elsewhere, against the real server).</summary>
public sealed class When_the_messaging_tables_target_postgres
{
    static TestDbContext PostgresContext() =>
        new(new DbContextOptionsBuilder<TestDbContext>().UseNpgsql("Host=localhost;Database=model_only").Options);

    [Fact]
    public void Should_claim_with_on_conflict_do_nothing()
    {
        using var db = PostgresContext();
        var dialect = DatabaseDialect.For(db);

        Assert.Equal("INSERT INTO \"InboxState\" (\"MessageId\", \"ConsumerId\", \"Received\") VALUES ({0}, {1}, {2}) ON CONFLICT DO NOTHING",
            dialect.ClaimInboxSql(db));
        Assert.False(dialect.ClaimFailsOnDuplicate);
    }

    [Fact]
    public void Should_take_due_messages_locking_their_groups_with_skip_locked_in_index_order()
    {
        using var db = PostgresContext();

        Assert.Equal("SELECT m.* FROM \"OutboxState\" g JOIN \"OutboxMessage\" m ON m.\"OutboxId\" = g.\"OutboxId\" WHERE g.\"DueTime\" <= {0} " +
            "ORDER BY g.\"DueTime\", g.\"Created\", g.\"OutboxId\", m.\"SequenceNumber\" LIMIT {1} FOR UPDATE OF g, m SKIP LOCKED",
            DatabaseDialect.For(db).TakeDueMessagesSql(db));
        Assert.Contains("CREATE INDEX \"IX_OutboxState_DueTime_Created\" ON \"OutboxState\" (\"DueTime\", \"Created\");",
            db.Database.GenerateCreateScript());
    }

    [Fact]
    public void Should_clean_up_the_inbox_in_ctid_batches_skipping_locked_rows()
    {
        using var db = PostgresContext();

        Assert.Equal(
            "DELETE FROM \"InboxState\" WHERE ctid IN (SELECT ctid FROM \"InboxState\" WHERE \"Received\" < {0} LIMIT {1} FOR UPDATE SKIP LOCKED)",
            DatabaseDialect.For(db).DeleteExpiredInboxBatchSql(db));
        Assert.Equal("SELECT min(\"DueTime\") AS \"Value\" FROM \"OutboxState\" WHERE \"DueTime\" > {0}", DatabaseDialect.For(db).NextDueSql(db));
    }
}
