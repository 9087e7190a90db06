using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Shop.Data;

/// <summary>
/// Lets <c>dotnet ef</c> build a service's PostgreSQL context without running the service (no server needed to add a
/// migration). Derive once per service: <c>sealed class OrdersPostgresFactory : PostgresDesignTimeFactory&lt;OrdersPostgresDbContext&gt;;</c>
/// </summary>
public abstract class PostgresDesignTimeFactory<TContext> : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>().UseNpgsql("Host=localhost;Database=design_time").Options;
        return (TContext)Activator.CreateInstance(typeof(TContext), options)!;
    }
}

/// <summary>The SQL Server twin of <see cref="PostgresDesignTimeFactory{TContext}"/>.</summary>
public abstract class SqlServerDesignTimeFactory<TContext> : IDesignTimeDbContextFactory<TContext>
    where TContext : DbContext
{
    public TContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<TContext>().UseSqlServer("Server=localhost;Database=design_time").Options;
        return (TContext)Activator.CreateInstance(typeof(TContext), options)!;
    }
}
