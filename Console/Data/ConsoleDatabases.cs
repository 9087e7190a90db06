using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using Shop.Data;
using Shop.Orders.Data;

namespace Shop.Console.Data;

/// <summary>
/// The services' databases, read-only: each connection string (<c>ConnectionStrings:{service}</c>) names the console's
/// own SELECT-only role (docs/console.md#data), and on PostgreSQL every transaction is opened read-only as well, so even
/// a mistaken write is refused by the server. Orders is read through its own EF model (the same tables the saga writes);
/// the others only for their outbox.
/// </summary>
public sealed class ConsoleDatabases
{
    readonly DatabaseProvider _provider;
    readonly DbContextOptions<OrdersPostgresDbContext>? _ordersPostgres;
    readonly DbContextOptions<OrdersSqlServerDbContext>? _ordersSqlServer;
    readonly Dictionary<string, DbContextOptions<OutboxReadContext>> _outboxes = new(StringComparer.OrdinalIgnoreCase);

    public ConsoleDatabases(IConfiguration configuration, IOptions<ConsoleOptions> options)
    {
        _provider = configuration.GetValue("Database:Provider", DatabaseProvider.Postgres);
        var orders = configuration.GetConnectionString("Orders");
        if (string.IsNullOrWhiteSpace(orders))
            throw new InvalidOperationException("Connection string 'Orders' is missing (ConnectionStrings:Orders): the console's read-only role on Orders' database.");
        DatabaseCredentials.Require("Orders", orders);
        if (_provider == DatabaseProvider.Postgres)
            _ordersPostgres = Configure(new DbContextOptionsBuilder<OrdersPostgresDbContext>(), orders).Options;
        else
            _ordersSqlServer = Configure(new DbContextOptionsBuilder<OrdersSqlServerDbContext>(), orders).Options;

        foreach (var service in options.Value.Services)
        {
            if (configuration.GetConnectionString(service) is { Length: > 0 } connectionString)
            {
                DatabaseCredentials.Require(service, connectionString);
                _outboxes[service] = Configure(new DbContextOptionsBuilder<OutboxReadContext>(), connectionString).Options;
            }
        }
    }

    /// <summary>Orders' database through Orders' own model, without change tracking.</summary>
    public OrdersDbContext Orders() => _ordersPostgres is not null
        ? new OrdersPostgresDbContext(_ordersPostgres)
        : new OrdersSqlServerDbContext(_ordersSqlServer!);

    /// <summary>The outbox tables of <paramref name="service"/>, or null when the console has no connection to its database.</summary>
    public OutboxReadContext? Outbox(string service) =>
        _outboxes.TryGetValue(service, out var options) ? new OutboxReadContext(options) : null;

    DbContextOptionsBuilder<T> Configure<T>(DbContextOptionsBuilder<T> builder, string connectionString)
        where T : DbContext
    {
        builder.UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking);
        return _provider switch
        {
            DatabaseProvider.Postgres => (DbContextOptionsBuilder<T>)builder.UseNpgsql(ReadOnlyPostgres(connectionString)),
            DatabaseProvider.SqlServer => (DbContextOptionsBuilder<T>)builder.UseSqlServer(ReadOnlySqlServer(connectionString)),
            _ => throw new InvalidOperationException($"Unknown Database:Provider '{_provider}'."),
        };
    }

    /// <summary>Every transaction of these connections is read-only (a write fails with "cannot execute ... in a read-only transaction").</summary>
    public static string ReadOnlyPostgres(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        settings.Options = $"{settings.Options} -c default_transaction_read_only=on".Trim();
        settings.ApplicationName ??= "Shop.Console";
        return settings.ConnectionString;
    }

    /// <summary>Read intent (a readable secondary where there is one); the role's rights are what keep it read-only.</summary>
    static string ReadOnlySqlServer(string connectionString) =>
        new SqlConnectionStringBuilder(connectionString) { ApplicationIntent = ApplicationIntent.ReadOnly }.ConnectionString;
}
