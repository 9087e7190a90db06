using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Shop.Data;

/// <summary>
/// At start-up, before the bus: the service's schema must be current, read as the runtime role (it may read the
/// migrations history). A pending migration stops the start with a message saying how to apply it; the service never
/// applies one itself (<see cref="DatabaseMigrations"/>).
/// </summary>
sealed class DatabaseSchemaCheck<TContext>(IServiceProvider services, string connectionName, ILogger<DatabaseSchemaCheck<TContext>> logger) : IHostedService
    where TContext : DbContext
{
    public Task StartAsync(CancellationToken cancellationToken) => DatabaseStartup.WhenReachableAsync(logger, async () =>
    {
        await using var scope = services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<TContext>().Database;
        var applied = (await database.GetAppliedMigrationsAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var known = database.GetMigrations().ToList();
        var pending = known.Where(x => !applied.Contains(x)).ToList();
        if (pending.Count > 0)
            throw new InvalidOperationException(PendingMessage(database.GetDbConnection().Database, pending));

        var unknown = applied.Where(x => !known.Contains(x, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
            logger.LogWarning("Database {Database} has migrations this build does not know ({Migrations}): a newer version migrated it",
                database.GetDbConnection().Database, string.Join(", ", unknown));
    }, cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    string PendingMessage(string database, IReadOnlyList<string> pending) =>
        $"Database '{database}' is behind this build: {pending.Count} migration(s) not applied ({string.Join(", ", pending)}). " +
        $"The service does not migrate its own database (its role may not change the schema): run it once with " +
        $"{DatabaseMigrations.MigrateArgument} (or {DatabaseMigrations.MigrateSetting}=true) and " +
        $"ConnectionStrings:{DatabaseMigrations.ConnectionNameOf(connectionName)}, the migration identity, then start it again " +
        $"(scripts/local-up.sh and docker compose's migrate jobs do).";
}
