using Npgsql;

namespace Shop.Testing;

/// <summary>
/// A fresh PostgreSQL database for one test (or one fixture), dropped on dispose, laid out as the scripts lay out a
/// service's database (<c>scripts/service-database.sql</c>, read from the repository): owned by a migration role of its
/// own, which migrates it, and used by a runtime role that may read and write rows only — so every service a test
/// starts on it runs with the least privilege production gives it. Both roles are made for this database and dropped
/// with it.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    TestDatabase(string name, string migratorRole, string runtimeRole, string password)
    {
        Name = name;
        MigratorRole = migratorRole;
        RuntimeRole = runtimeRole;
        ConnectionString = ConnectionStringFor(name, null, null);
        // Unpooled: it migrates once per start and should hold no connection afterwards.
        MigratorConnectionString = ConnectionStringFor(name, migratorRole, password, pooling: false);
        RuntimeConnectionString = ConnectionStringFor(name, runtimeRole, password);
    }

    public string Name { get; }

    /// <summary>Connection string to this database as the operator (a superuser: the test's own reads and set-ups; pooled).</summary>
    public string ConnectionString { get; }

    /// <summary>The migration role: owns the database and its schema (what <c>--migrate</c> logs in as).</summary>
    public string MigratorRole { get; }

    public string MigratorConnectionString { get; }

    /// <summary>The runtime role: connect, and SELECT/INSERT/UPDATE/DELETE on the tables (what a service logs in as).</summary>
    public string RuntimeRole { get; }

    public string RuntimeConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string prefix = "shop_test")
    {
        var id = Guid.NewGuid().ToString("N");
        var name = $"{prefix}_{id}"[..Math.Min(63, prefix.Length + 33)].ToLowerInvariant();
        // Roles are the server's, not the database's: named for this database alone (63 characters at most).
        var database = new TestDatabase(name, $"test_{id}_migrator", $"test_{id}_runtime", Guid.NewGuid().ToString("N"));
        var password = new NpgsqlConnectionStringBuilder(database.MigratorConnectionString).Password;
        await AsOperatorAsync("postgres", $"""
            CREATE ROLE "{database.MigratorRole}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}';
            CREATE ROLE "{database.RuntimeRole}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{password}';
            """);
        await AsOperatorAsync("postgres", $"CREATE DATABASE \"{name}\" OWNER \"{database.MigratorRole}\"");
        await database.LayOutAsync(database.MigratorRole, database.RuntimeRole);
        return database;
    }

    /// <summary>
    /// Runs <c>scripts/service-database.sql</c> on this database for <paramref name="migrator"/> and
    /// <paramref name="runtime"/>: the one owns it, the other may touch rows only (the scripts' own roles, e.g.).
    /// </summary>
    public async Task LayOutAsync(string migrator, string runtime)
    {
        var sql = (await File.ReadAllTextAsync(Path.Combine(ServiceUsers.RepositoryRoot, "scripts", "service-database.sql")))
            .Replace("__DATABASE__", Name).Replace("__MIGRATOR__", migrator).Replace("__ROLE__", runtime);
        await AsOperatorAsync(Name, sql);
    }

    public async Task<T?> ScalarAsync<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)Convert.ChangeType(result, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T));
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        // Only this database's pools: other tests' services keep theirs.
        foreach (var connectionString in new[] { ConnectionString, MigratorConnectionString, RuntimeConnectionString })
            NpgsqlConnection.ClearPool(new NpgsqlConnection(connectionString));
        try
        {
            await AsOperatorAsync("postgres", $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
            await AsOperatorAsync("postgres", $"DROP ROLE IF EXISTS \"{RuntimeRole}\"; DROP ROLE IF EXISTS \"{MigratorRole}\"");
        }
        catch (NpgsqlException)
        {
            // best effort: a leftover test database or role does no harm
        }
    }

    static string ConnectionStringFor(string database, string? role, string? password, bool pooling = true)
    {
        var builder = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdminConnectionString)
        {
            Database = database,
            Pooling = pooling,
        };
        if (pooling)
            builder.MaxPoolSize = 50;
        if (role is not null)
        {
            builder.Username = role;
            builder.Password = password;
        }

        return builder.ConnectionString;
    }

    static async Task AsOperatorAsync(string database, string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(TestServers.PostgresAdminConnectionString) { Database = database, Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
