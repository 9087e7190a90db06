using Microsoft.EntityFrameworkCore;
using Shop.Orders.Domain;
using Shop.Orders.Saga;

namespace Shop.Orders.Data;

public sealed class OrdersSqlServerDbContext(DbContextOptions<OrdersSqlServerDbContext> options) : OrdersDbContext(options)
{
    /// <summary>
    /// Case- and accent-sensitive: SQL Server's default collation would make customers <c>Ada</c> and <c>ada</c> (token
    /// subjects, compared exactly by the API) share idempotency keys, and PostgreSQL keeps them apart.
    /// </summary>
    public const string KeyCollation = "Latin1_General_100_BIN2";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<Order>().Property(x => x.CustomerId).UseCollation(KeyCollation);
        modelBuilder.Entity<Order>().Property(x => x.IdempotencyKey).UseCollation(KeyCollation);
        modelBuilder.Entity<OrderState>().HasIndex(x => x.DeadlineAt).HasDatabaseName(DeadlineIndex).HasFilter("[DeadlineAt] IS NOT NULL");
    }
}
