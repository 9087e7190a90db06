using Shop.Data;
using Shop.ServiceDefaults;

namespace Shop.Orders.Data;

sealed class OrdersPostgresDesignTimeFactory : PostgresDesignTimeFactory<OrdersPostgresDbContext>;

sealed class OrdersSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<OrdersSqlServerDbContext>;
