using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Shop.Data;

/// <summary>Applies a service's migrations as its migration identity (<see cref="DatabaseMigrations"/>).</summary>
interface IDatabaseMigrator
{
    Task MigrateAsync(CancellationToken cancellationToken);
}

/// <summary>
/// Migrates with a context of its own on <c>ConnectionStrings:&lt;Name&gt;Migrations</c>, not the service's pooled one:
/// that one logs in as the runtime role, which may not change the schema.
/// </summary>
sealed class DatabaseMigrator<TContext, TPostgresContext, TSqlServerContext>(
    DatabaseProvider provider, string connectionName, IConfiguration configuration, ILogger<DatabaseMigrator<TContext, TPostgresContext, TSqlServerContext>> logger)
    : IDatabaseMigrator
    where TContext : DbContext
    where TPostgresContext : TContext
    where TSqlServerContext : TContext
{
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        var name = DatabaseMigrations.ConnectionNameOf(connectionName);
        var connectionString = configuration.GetConnectionString(name)
            ?? throw new InvalidOperationException(
                $"ConnectionStrings:{name} is missing: migrations run as the migration identity (ConnectionStrings__{name}), never as the service's own role.");
        DatabaseCredentials.Require(name, connectionString);

        await DatabaseStartup.WhenReachableAsync(logger, async () =>
        {
            await using var context = Create(connectionString);
            var pending = (await context.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
            await context.Database.MigrateAsync(cancellationToken);
            logger.LogInformation("Database {Database} is migrated ({Count} migration(s) applied now)",
                context.Database.GetDbConnection().Database, pending.Count);
        }, cancellationToken);
    }

    TContext Create(string connectionString) => provider switch
    {
        DatabaseProvider.Postgres => (TContext)Activator.CreateInstance(typeof(TPostgresContext),
            new DbContextOptionsBuilder<TPostgresContext>().UseNpgsql(connectionString).Options)!,
        DatabaseProvider.SqlServer => (TContext)Activator.CreateInstance(typeof(TSqlServerContext),
            new DbContextOptionsBuilder<TSqlServerContext>().UseSqlServer(connectionString).Options)!,
        _ => throw new InvalidOperationException($"Unknown Database:Provider '{provider}'."),
    };
}
