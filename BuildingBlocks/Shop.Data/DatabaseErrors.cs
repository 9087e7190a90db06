using System.Data.Common;
using Microsoft.Data.SqlClient;
using Npgsql;

namespace Shop.Data;

/// <summary>Reads a provider's exception (PostgreSQL, SQL Server) for what a caller can act on.</summary>
public static class DatabaseErrors
{
    /// <summary>True when the exception is a unique-key violation (a concurrent duplicate won a race).</summary>
    public static bool IsUniqueViolation(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }:
                case SqlException { Number: 2627 or 2601 }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>True when the database said the failure is transient (connection lost, deadlock, serialization...).</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case NpgsqlException { IsTransient: true }:
                case PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }:
                case SqlException { Number: 1205 or -2 or 40001 or 40613 or 49918 or 4060 or 233 or 10053 or 10054 or 10060 }:
                case DbException { IsTransient: true }:
                case TimeoutException:
                    return true;
            }
        }

        return false;
    }
}
