using Npgsql;

namespace Shop.LoadTest;

/// <summary>Runs a query of (database, count) rows whose one parameter is a LIKE pattern, given the stack's prefix.</summary>
static class CountsByDatabase
{
    public static async Task<Dictionary<string, long>> Read(NpgsqlCommand command, string databasePrefix)
    {
        // The prefix's underscores are literal in LIKE.
        command.Parameters.Add(new() { Value = databasePrefix.Replace("_", "\\_", StringComparison.Ordinal) + "%" });
        await using var reader = await command.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>();
        while (await reader.ReadAsync())
            counts[reader.GetString(0)] = reader.GetInt64(1);
        return counts;
    }
}
