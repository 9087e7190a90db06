using Microsoft.EntityFrameworkCore;
using Shop.Identity.Data;

namespace Shop.Identity.Tests;

/// <summary>Each provider's migrations describe the model as it is (a change without its migration fails here).</summary>
public sealed class When_the_migrations_are_checked
{
    [Fact]
    public void Should_have_no_pending_model_change_on_postgresql()
    {
        using var db = new IdentityPostgresDbContext(new DbContextOptionsBuilder<IdentityPostgresDbContext>().UseNpgsql("Host=localhost").Options);

        Assert.False(db.Database.HasPendingModelChanges());
    }

    [Fact]
    public void Should_have_no_pending_model_change_on_sql_server()
    {
        using var db = new IdentitySqlServerDbContext(new DbContextOptionsBuilder<IdentitySqlServerDbContext>().UseSqlServer("Server=localhost").Options);

        Assert.False(db.Database.HasPendingModelChanges());
    }
}
