using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Shop.Inventory.Domain;

namespace Shop.Inventory.Data;

/// <summary>What a set-based stock change does to the rows of an order's lines.</summary>
enum StockChange
{
    /// <summary>Reserved grows by each line, only if every line is available (on hand − reserved ≥ quantity).</summary>
    Reserve,

    /// <summary>Reserved shrinks by each line.</summary>
    Release,

    /// <summary>On hand and reserved both shrink by each line.</summary>
    Commit,
}

/// <summary>
/// The stock change of all of an order's lines in one command (one round trip): first the lines' rows are locked in SKU
/// order and read (so two orders sharing SKUs never deadlock, and the update below sees exactly what was read), then one
/// UPDATE changes them. A reservation's UPDATE is guarded twice: per row (enough units) and as a whole (every line has
/// enough), so it changes every row or none. The check constraint (0 ≤ reserved ≤ on hand) stays the last guard.
/// Double-quoted identifiers work on both providers (SQL Server's QUOTED_IDENTIFIER is on by default).
/// </summary>
sealed class StockStatements(bool sqlServer)
{
    static readonly StockStatements Postgres = new(false);
    static readonly StockStatements SqlServer = new(true);

    public static StockStatements For(DbContext dbContext) => dbContext.Database.ProviderName switch
    {
        "Npgsql.EntityFrameworkCore.PostgreSQL" => Postgres,
        "Microsoft.EntityFrameworkCore.SqlServer" => SqlServer,
        var other => throw new NotSupportedException($"Inventory does not support the EF Core provider '{other}'."),
    };

    /// <summary>
    /// Runs the change in the context's transaction; returns the units available per SKU found (read under the lock,
    /// before the change) and how many rows the change updated.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, int> Available, int Changed)> RunAsync(DbContext dbContext, IReadOnlyList<ReservationLine> lines,
        StockChange change, CancellationToken cancellationToken)
    {
        if (lines.Count == 0)
            return (new Dictionary<string, int>(), 0);
        var transaction = dbContext.Database.CurrentTransaction
            ?? throw new InvalidOperationException("A stock change must run in the message's transaction (UseShopOutbox).");
        await using var command = dbContext.Database.GetDbConnection().CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = Text(lines.Count, change);
        for (var i = 0; i < lines.Count; i++)
        {
            Add(command, $"@s{i}", lines[i].Sku);
            Add(command, $"@q{i}", lines[i].Quantity);
        }

        var available = new Dictionary<string, int>(StringComparer.Ordinal);
        var changed = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            available[reader.GetString(0)] = reader.GetInt32(1);
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            changed++;
        return (available, changed);
    }

    static void Add(System.Data.Common.DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    // Built per line count and change; the text is the same for every order of that shape, so it is prepared once.
    string Text(int lines, StockChange change)
    {
        var skus = string.Join(", ", Enumerable.Range(0, lines).Select(i => $"@s{i}"));
        var quantity = new StringBuilder("CASE \"Sku\"");
        for (var i = 0; i < lines; i++)
            quantity.Append(CultureInfo.InvariantCulture, $" WHEN @s{i} THEN @q{i}");
        quantity.Append(" END");

        // SQL Server: update locks held to the end of the transaction, taken in the clustered key's order.
        var lockRows = sqlServer
            ? $"SELECT \"Sku\", \"OnHand\" - \"Reserved\" FROM \"Stock\" WITH (UPDLOCK, ROWLOCK) WHERE \"Sku\" IN ({skus}) ORDER BY \"Sku\""
            : $"SELECT \"Sku\", \"OnHand\" - \"Reserved\" FROM \"Stock\" WHERE \"Sku\" IN ({skus}) ORDER BY \"Sku\" FOR UPDATE";
        var set = change switch
        {
            StockChange.Reserve => $"\"Reserved\" = \"Reserved\" + {quantity}",
            StockChange.Release => $"\"Reserved\" = \"Reserved\" - {quantity}",
            _ => $"\"OnHand\" = \"OnHand\" - {quantity}, \"Reserved\" = \"Reserved\" - {quantity}",
        };
        var where = $"\"Sku\" IN ({skus})";
        if (change == StockChange.Reserve)
        {
            var enough = string.Join(" OR ", Enumerable.Range(0, lines).Select(i => $"(\"Sku\" = @s{i} AND \"OnHand\" - \"Reserved\" >= @q{i})"));
            where += $" AND \"OnHand\" - \"Reserved\" >= {quantity} AND (SELECT COUNT(*) FROM \"Stock\" WHERE {enough}) = {lines}";
        }

        var update = sqlServer
            ? $"UPDATE \"Stock\" SET {set} OUTPUT inserted.\"Sku\" WHERE {where}"
            : $"UPDATE \"Stock\" SET {set} WHERE {where} RETURNING \"Sku\"";
        return $"{lockRows};\n{update};";
    }
}
