using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Shop.Orders.Data;

static class DbErrors
{
    /// <summary>True when the save failed on a unique index (a concurrent request inserted the same key first).</summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => exception.InnerException switch
    {
        PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } => true,
        SqlException { Number: 2627 or 2601 } => true,
        _ => false,
    };
}
