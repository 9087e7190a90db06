using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shop.Data;

/// <summary>
/// Migrations run as a migration identity of their own, never as the service: the runtime role may read and write its
/// tables but not change them (no ownership, no CREATE), so an injection or a compromised process cannot drop a ledger's
/// unique index. A process started with <c>--migrate</c> (or <c>Database:Migrate=true</c>) applies the pending migrations
/// with <c>ConnectionStrings:&lt;Name&gt;Migrations</c> and exits; started normally, it only checks that none is pending
/// (<see cref="DatabaseSchemaCheck{TContext}"/>). docs/operations.md#migrations.
/// </summary>
public static class DatabaseMigrations
{
    public const string MigrateArgument = "--migrate";
    public const string MigrateSetting = "Database:Migrate";

    /// <summary>The connection string of the migration identity: <c>Orders</c> → <c>OrdersMigrations</c>.</summary>
    public static string ConnectionNameOf(string connectionName) => $"{connectionName}Migrations";

    /// <summary>True when this process was started to migrate: <c>--migrate</c> on its command line or <c>Database:Migrate=true</c>.</summary>
    public static bool Requested(IConfiguration configuration) =>
        configuration.GetValue<bool>(MigrateSetting) ||
        Environment.GetCommandLineArgs().Skip(1).Contains(MigrateArgument, StringComparer.Ordinal);

    /// <summary>
    /// Applies the pending migrations of the database the service registered (<c>AddShopDbContext</c>) as the migration
    /// identity, waiting up to two minutes for the database to accept connections. False when the service has none.
    /// </summary>
    public static async Task<bool> MigrateAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IDatabaseMigrator>() is not { } migrator)
            return false;
        await migrator.MigrateAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// What a service's Program.cs ends with: runs the service, or — started with <c>--migrate</c> — migrates its database
    /// without starting anything else (no HTTP, no bus, no broker or signing credentials needed) and returns the exit code:
    /// 0 migrated, 1 failed.
    /// </summary>
    public static async Task<int> RunOrMigrateAsync(this WebApplication app)
    {
        if (!Requested(app.Configuration))
        {
            await app.RunAsync();
            return 0;
        }

        await using (app)
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Shop.Data.Migrations");
            try
            {
                if (await MigrateAsync(app.Services))
                    return 0;
                logger.LogError("{Application} has no database to migrate", app.Environment.ApplicationName);
            }
            catch (Exception exception)
            {
                logger.LogCritical(exception, "Migrating the database of {Application} failed", app.Environment.ApplicationName);
            }

            return 1;
        }
    }
}
