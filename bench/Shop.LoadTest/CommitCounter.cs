using Npgsql;

namespace Shop.LoadTest;

/// <summary>
/// Transactions committed in the services' databases (pg_stat_database.xact_commit, in <c>&lt;prefix&gt;orders</c> … <c>&lt;prefix&gt;notifications</c>). It
/// counts every transaction, read-only ones too: single-statement reads (GET /orders, health checks) and the delivery
/// services' polls are in it.
/// </summary>
sealed class CommitCounter(string adminConnectionString, string databasePrefix)
{
    static readonly string[] Services = ["orders", "payments", "inventory", "shipping", "notifications"];

    /// <summary>Commits per database now; null while PostgreSQL does not answer.</summary>
    public async Task<Dictionary<string, long>?> Sample()
    {
        try
        {
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT datname, xact_commit FROM pg_stat_database WHERE datname = ANY($1)", connection)
            {
                Parameters = { new() { Value = Services.Select(x => databasePrefix + x).ToArray() } },
            };
            await using var reader = await command.ExecuteReaderAsync();
            var commits = new Dictionary<string, long>();
            while (await reader.ReadAsync())
                commits[reader.GetString(0)] = reader.GetInt64(1);
            return commits;
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
