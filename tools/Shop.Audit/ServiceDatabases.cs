using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Data;
using Shop.Inventory.Data;
using Shop.Notifications.Data;
using Shop.Orders.Data;
using Shop.Payments.Data;
using Shop.ServiceDefaults;
using Shop.Shipping.Data;

namespace Shop.Audit;

/// <summary>
/// Opens each service's own DbContext, without change tracking, on the provider given. On PostgreSQL every
/// transaction of the session is read-only (<c>default_transaction_read_only</c>), so the audit cannot write.
/// </summary>
public sealed class ServiceDatabases(AuditOptions options)
{
    static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(5);

    public OrdersDbContext Orders() => options.Provider == DatabaseProvider.Postgres
        ? new OrdersPostgresDbContext(Postgres<OrdersPostgresDbContext>(options.Orders))
        : new OrdersSqlServerDbContext(SqlServer<OrdersSqlServerDbContext>(options.Orders));

    public PaymentsDbContext Payments() => options.Provider == DatabaseProvider.Postgres
        ? new PaymentsPostgresDbContext(Postgres<PaymentsPostgresDbContext>(options.Payments))
        : new PaymentsSqlServerDbContext(SqlServer<PaymentsSqlServerDbContext>(options.Payments));

    public InventoryDbContext Inventory() => options.Provider == DatabaseProvider.Postgres
        ? new InventoryPostgresDbContext(Postgres<InventoryPostgresDbContext>(options.Inventory))
        : new InventorySqlServerDbContext(SqlServer<InventorySqlServerDbContext>(options.Inventory));

    public ShippingDbContext Shipping() => options.Provider == DatabaseProvider.Postgres
        ? new ShippingPostgresDbContext(Postgres<ShippingPostgresDbContext>(options.Shipping))
        : new ShippingSqlServerDbContext(SqlServer<ShippingSqlServerDbContext>(options.Shipping));

    public NotificationsDbContext Notifications() => options.Provider == DatabaseProvider.Postgres
        ? new NotificationsPostgresDbContext(Postgres<NotificationsPostgresDbContext>(options.Notifications))
        : new NotificationsSqlServerDbContext(SqlServer<NotificationsSqlServerDbContext>(options.Notifications));

    /// <summary>
    /// Runs <paramref name="read"/> in one transaction: a single snapshot on PostgreSQL (repeatable read), so the
    /// queries of one database agree with each other even while the services run.
    /// </summary>
    public async Task<T> ReadAsync<TContext, T>(TContext dbContext, Func<TContext, Task<T>> read, CancellationToken cancellationToken)
        where TContext : DbContext
    {
        await using (dbContext)
        {
            var isolation = options.Provider == DatabaseProvider.Postgres
                ? System.Data.IsolationLevel.RepeatableRead
                : System.Data.IsolationLevel.ReadCommitted;
            await using var transaction = await dbContext.Database.BeginTransactionAsync(isolation, cancellationToken);
            return await read(dbContext);
        }
    }

    static DbContextOptions<T> Postgres<T>(string connectionString)
        where T : DbContext
    {
        // One connection per database for a few seconds: no pool left holding server connections afterwards.
        var readOnly = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        readOnly.Options = $"{readOnly.Options} -c default_transaction_read_only=on".Trim();
        return new DbContextOptionsBuilder<T>()
            .UseNpgsql(readOnly.ConnectionString, npgsql => npgsql.CommandTimeout((int)CommandTimeout.TotalSeconds))
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options;
    }

    static DbContextOptions<T> SqlServer<T>(string connectionString)
        where T : DbContext =>
        new DbContextOptionsBuilder<T>()
            .UseSqlServer(connectionString, sql => sql.CommandTimeout((int)CommandTimeout.TotalSeconds))
            .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking)
            .Options;
}
