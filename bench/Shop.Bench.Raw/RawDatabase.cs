using System.Diagnostics;
using Npgsql;

namespace Shop.Bench.Raw;

/// <summary>The database's own ceiling for our unit of work: update one row by key with a version check, insert one 600-byte row, commit.</summary>
public static class RawDatabase
{
    public static async Task<double> CommitRate(BenchSettings settings, int transactions, int connections, string database = "shop_bench_raw")
    {
        var connectionString = await BenchDatabase.Recreate(settings, database);
        await using (var setup = new NpgsqlConnection(connectionString))
        {
            await setup.OpenAsync();
            await using var create = new NpgsqlCommand("""
                CREATE TABLE counter (id int PRIMARY KEY, version int NOT NULL, value int NOT NULL);
                CREATE TABLE outbox (id bigserial PRIMARY KEY, body text NOT NULL);
                INSERT INTO counter SELECT g, 0, 0 FROM generate_series(0, 63) g;
                """, setup);
            await create.ExecuteNonQueryAsync();
        }

        var body = new string('x', 600);
        var perConnection = transactions / connections;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, connections).Select(async worker =>
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var version = 0;
            for (var i = 0; i < perConnection; i++)
            {
                await using var transaction = await connection.BeginTransactionAsync();
                await using var batch = new NpgsqlBatch(connection, transaction)
                {
                    BatchCommands =
                    {
                        new NpgsqlBatchCommand("UPDATE counter SET value = value + 1, version = version + 1 WHERE id = $1 AND version = $2")
                            { Parameters = { new() { Value = worker }, new() { Value = version } } },
                        new NpgsqlBatchCommand("INSERT INTO outbox (body) VALUES ($1)") { Parameters = { new() { Value = body } } },
                    },
                };
                await batch.ExecuteNonQueryAsync();
                await transaction.CommitAsync();
                version++;
            }
        }));
        return perConnection * connections / stopwatch.Elapsed.TotalSeconds;
    }
}

public static class BenchDatabase
{
    public static async Task<string> Recreate(BenchSettings settings, string name)
    {
        await using (var admin = new NpgsqlConnection(settings.PostgresAdmin))
        {
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(settings.PostgresAdmin) { Database = name, MaxPoolSize = 64 }.ConnectionString;
    }

    public static async Task Drop(BenchSettings settings, string name)
    {
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(settings.PostgresAdmin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
