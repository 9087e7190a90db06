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
    public void Should_lock_due_groups_with_updlock_and_readpast()
    {
        using var db = SqlServerContext();

        var sql = DatabaseDialect.For(db).LockDueGroupsSql(db);

        Assert.Contains("WITH (UPDLOCK, ROWLOCK, READPAST)", sql);
        Assert.Contains("FROM [OutboxState]", sql);
        Assert.Contains("TOP ({1})", sql);
    }

    [Fact]
    public void Should_claim_the_inbox_under_a_key_range_lock()
    {
        using var db = SqlServerContext();

        var sql = DatabaseDialect.For(db).ClaimInboxSql(db);

        Assert.StartsWith("INSERT INTO [InboxState] ([MessageId], [ConsumerId], [Received]) SELECT {0}, {1}, {2}", sql);
        Assert.Contains("WHERE NOT EXISTS (SELECT 1 FROM [InboxState] WITH (UPDLOCK, HOLDLOCK) WHERE [MessageId] = {0} AND [ConsumerId] = {1})", sql);
    }
}
