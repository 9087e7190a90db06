using Npgsql;

namespace Shop.Admin.Orders;

/// <summary>An order that has not reached Completed or Cancelled, with the last line of its timeline.</summary>
public sealed record StuckOrder(Guid OrderId, string State, DateTimeOffset InStateSince, DateTimeOffset? EscalatedAt,
    string? CancellationReason, DateTimeOffset? LastEntryAt, string? LastEntry);

/// <summary>
/// Reads the Orders database directly (plain SQL on the saga table <c>OrderState</c> and <c>OrderTimeline</c>, read
/// only), so it answers even while the Orders service is down — which is when an operator needs it most.
/// </summary>
public sealed class StuckOrdersReader(string connectionString)
{
    public const string ConnectionVariable = "SHOP_ORDERS_DB";
    public const string DefaultConnection = "Host=127.0.0.1;Port=5432;Database=shop_orders;Username=shop;Password=shop";

    /// <summary>
    /// Every order in a non-terminal state since at least <paramref name="cutoff"/> (its <c>UpdatedAt</c>: the saga sets
    /// it on each transition), and every order escalated for compensations past their deadline however young; oldest first.
    /// </summary>
    public async Task<IReadOnlyList<StuckOrder>> ReadAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT s."CorrelationId", s."CurrentState", s."UpdatedAt", s."EscalatedAt", s."CancellationReason",
                   t."At", t."Kind", t."Name", t."Detail"
            FROM "OrderState" s
            LEFT JOIN LATERAL (
                SELECT e."At", e."Kind", e."Name", e."Detail" FROM "OrderTimeline" e
                WHERE e."OrderId" = s."CorrelationId" ORDER BY e."Sequence" DESC LIMIT 1) t ON TRUE
            WHERE s."CurrentState" NOT IN ('Completed', 'Cancelled')
              AND (s."UpdatedAt" <= @cutoff OR s."EscalatedAt" IS NOT NULL)
            ORDER BY s."UpdatedAt", s."CorrelationId"
            """;

        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c default_transaction_read_only=on" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("cutoff", cutoff.ToUniversalTime());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);

        var orders = new List<StuckOrder>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var lastEntry = reader.IsDBNull(6)
                ? null
                : string.Join(" ", new[] { reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8) }.OfType<string>());
            orders.Add(new StuckOrder(
                reader.GetGuid(0),
                reader.GetString(1),
                reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                lastEntry));
        }

        return orders;
    }
}
