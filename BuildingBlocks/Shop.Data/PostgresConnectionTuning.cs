using System.Data.Common;
using Npgsql;

namespace Shop.Data;

/// <summary>The Npgsql settings a Shop service runs with, unless its connection string says otherwise.</summary>
public static class PostgresConnectionTuning
{
    /// <summary>
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare=64</c>: a service runs the same few statements over and over (inbox claim, saga load,
    /// outbox insert); Npgsql prepares each on the server after a few uses, sparing PostgreSQL the parse and plan.</item>
    /// <item><c>No Reset On Close=true</c>: a pooled connection is handed back as it is, without the
    /// <c>DISCARD</c>-style reset PostgreSQL would otherwise run before the next statement (measured: two resets per
    /// consumed message). Safe because the building blocks change no session state: no <c>SET</c>, temporary
    /// tables, <c>LISTEN</c> or session advisory locks.</item>
    /// </list>
    /// </summary>
    public static string Apply(string connectionString)
    {
        // Which keywords the string itself names, spelt with or without spaces, in any case.
        var named = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal))
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!named.Contains(nameof(NpgsqlConnectionStringBuilder.MaxAutoPrepare)))
            settings.MaxAutoPrepare = 64;
        if (!named.Contains(nameof(NpgsqlConnectionStringBuilder.NoResetOnClose)))
            settings.NoResetOnClose = true;
        return settings.ConnectionString;
    }
}
