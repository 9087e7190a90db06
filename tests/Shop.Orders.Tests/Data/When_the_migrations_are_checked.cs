using Microsoft.EntityFrameworkCore;
using Shop.Orders.Data;

namespace Shop.Orders.Tests.Data;

/// <summary>Each provider's migrations describe the model exactly: a model change without its migration fails here.</summary>
public sealed class When_the_migrations_are_checked
{
    [Fact]
    public void Should_have_no_pending_model_change_on_postgres()
    {
        using var dbContext = new OrdersPostgresDbContext(new DbContextOptionsBuilder<OrdersPostgresDbContext>()
            .UseNpgsql("Host=localhost;Database=model_check").Options);

        Assert.False(dbContext.Database.HasPendingModelChanges());
        Assert.Contains(dbContext.Database.GetMigrations(), x => x.EndsWith("_OutboxDueTimeCreatedIndex", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_have_no_pending_model_change_on_sql_server()
    {
        using var dbContext = new OrdersSqlServerDbContext(new DbContextOptionsBuilder<OrdersSqlServerDbContext>()
            .UseSqlServer("Server=localhost;Database=model_check").Options);

        Assert.False(dbContext.Database.HasPendingModelChanges());
        Assert.Contains(dbContext.Database.GetMigrations(), x => x.EndsWith("_OutboxDueTimeCreatedIndex", StringComparison.Ordinal));
    }
}
