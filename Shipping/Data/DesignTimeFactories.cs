using Shop.Data;
using Shop.ServiceDefaults;

namespace Shop.Shipping.Data;

sealed class ShippingPostgresDesignTimeFactory : PostgresDesignTimeFactory<ShippingPostgresDbContext>;

sealed class ShippingSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<ShippingSqlServerDbContext>;
