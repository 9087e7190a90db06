using Npgsql;

namespace Shop.LoadTest;

/// <summary>
/// Statements run in every database of the stack (pg_stat_statements' calls, BEGIN and COMMIT included, each statement
/// of a batch counted), by the services' roles only: this tool's own reads, as the operator role, are left out. Needs
/// the module loaded (scripts/infra-up.sh preloads it); without it the count is null and the report says so.
/// </summary>
sealed class StatementCounter(string adminConnectionString, string databasePrefix)
{
    const string CallsByDatabase = """
        SELECT d.datname, sum(s.calls)::bigint
        FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
        WHERE d.datname LIKE $1 AND s.userid <> (SELECT oid FROM pg_roles WHERE rolname = current_user)
        GROUP BY d.datname
        """;

    bool _unavailable;

    /// <summary>Statements per database now; null without pg_stat_statements or while PostgreSQL does not answer.</summary>
    public async Task<Dictionary<string, long>?> Sample()
    {
        if (_unavailable)
            return null;
        try
        {
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync();
            await using (var create = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", connection))
                await create.ExecuteNonQueryAsync();
            await using var command = new NpgsqlCommand(CallsByDatabase, connection);
            return await CountsByDatabase.Read(command, databasePrefix);
        }
        catch (PostgresException exception) when (exception.SqlState is PostgresErrorCodes.ObjectNotInPrerequisiteState or PostgresErrorCodes.InsufficientPrivilege)
        {
            // The module is not preloaded (or the role may not create the extension): not counted in this run.
            _unavailable = true;
            return null;
        }
        catch (NpgsqlException)
        {
            return null;
        }
    }
}
