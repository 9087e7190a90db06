using Microsoft.EntityFrameworkCore;

namespace Shop.Orders.Data;

public sealed class OrdersPostgresDbContext(DbContextOptions<OrdersPostgresDbContext> options) : OrdersDbContext(options);
