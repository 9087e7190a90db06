using Microsoft.EntityFrameworkCore;
using Shop.Analytics.Data;

namespace Shop.Analytics.Tests.Facts;

/// <summary>Each provider's migrations describe the model exactly: a model change without its migration fails here.</summary>
public sealed class When_the_migrations_are_checked
{
    [Fact]
    public void Should_have_no_pending_model_change_on_postgres()
    {
        using var dbContext = new AnalyticsPostgresDbContext(new DbContextOptionsBuilder<AnalyticsPostgresDbContext>()
            .UseNpgsql("Host=localhost;Database=model_check").Options);

        Assert.False(dbContext.Database.HasPendingModelChanges());
        Assert.NotEmpty(dbContext.Database.GetMigrations());
    }

    [Fact]
    public void Should_have_no_pending_model_change_on_sql_server()
    {
        using var dbContext = new AnalyticsSqlServerDbContext(new DbContextOptionsBuilder<AnalyticsSqlServerDbContext>()
            .UseSqlServer("Server=localhost;Database=model_check").Options);

        Assert.False(dbContext.Database.HasPendingModelChanges());
        Assert.NotEmpty(dbContext.Database.GetMigrations());
    }
}
