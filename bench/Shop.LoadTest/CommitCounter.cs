using Npgsql;

namespace Shop.LoadTest;

/// <summary>
/// Transactions committed in every database of the stack (pg_stat_database.xact_commit of each <c>&lt;prefix&gt;…</c>
/// database: the five services, Analytics, Identity, the payment-provider simulator). It counts every transaction,
/// read-only ones too: single-statement reads (GET /orders, health checks) and the delivery services' polls are in it.
/// </summary>
sealed class CommitCounter(string adminConnectionString, string databasePrefix)
{

    /// <summary>Commits per database now; null while PostgreSQL does not answer.</summary>
    public async Task<Dictionary<string, long>?> Sample()
    {
        try
        {
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT datname, xact_commit FROM pg_stat_database WHERE datname LIKE $1", connection);
            return await CountsByDatabase.Read(command, databasePrefix);
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
