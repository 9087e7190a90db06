using Microsoft.EntityFrameworkCore;
using Shop.Orders.Saga;

namespace Shop.Orders.Data;

public sealed class OrdersPostgresDbContext(DbContextOptions<OrdersPostgresDbContext> options) : OrdersDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<OrderState>().HasIndex(x => x.DeadlineAt).HasDatabaseName(DeadlineIndex).HasFilter("\"DeadlineAt\" IS NOT NULL");
    }
}
