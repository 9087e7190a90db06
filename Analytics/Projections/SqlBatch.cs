using System.Data;
using System.Data.Common;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Shop.Analytics.Projections;

/// <summary>
/// Several statements sent as one command, in the caller's transaction: one round trip to the database instead of one
/// per statement (both providers run a semicolon-separated batch; PostgreSQL stops at the first error, SQL Server may
/// run on, but the caller's transaction is rolled back either way). Parameters are positional names (<c>@p0</c>, ...).
/// </summary>
sealed class SqlBatch
{
    readonly StringBuilder _text = new();
    readonly List<(object? Value, DbType? Type)> _parameters = [];

    /// <summary>A parameter's placeholder for <paramref name="value"/> (null is sent as NULL of <paramref name="nullType"/>).</summary>
    public string Parameter(object? value, DbType? nullType = null)
    {
        _parameters.Add((value switch
        {
            // Npgsql writes timestamptz only from UTC offsets.
            DateTimeOffset time => time.ToUniversalTime(),
            _ => value,
        }, nullType));
        return $"@p{_parameters.Count - 1}";
    }

    public SqlBatch Append(string statement)
    {
        _text.Append(statement).Append(";\n");
        return this;
    }

    /// <summary>The command, on the context's connection and in its transaction (the projector's writes are atomic or nothing).</summary>
    public DbCommand CreateCommand(DbContext dbContext)
    {
        var transaction = dbContext.Database.CurrentTransaction
            ?? throw new InvalidOperationException("The projector runs in its caller's transaction; begin one first.");
        var command = dbContext.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = _text.ToString();
        for (var i = 0; i < _parameters.Count; i++)
        {
            var (value, type) = _parameters[i];
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@p{i}";
            parameter.Value = value ?? DBNull.Value;
            if (value is null && type is { } nullType)
                parameter.DbType = nullType;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
