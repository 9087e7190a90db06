using Microsoft.EntityFrameworkCore;

namespace Shop.Orders.Data;

public sealed class OrdersSqlServerDbContext(DbContextOptions<OrdersSqlServerDbContext> options) : OrdersDbContext(options);
