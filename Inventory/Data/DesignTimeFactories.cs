using Shop.Data;
using Shop.ServiceDefaults;

namespace Shop.Inventory.Data;

sealed class InventoryPostgresDesignTimeFactory : PostgresDesignTimeFactory<InventoryPostgresDbContext>;

sealed class InventorySqlServerDesignTimeFactory : SqlServerDesignTimeFactory<InventorySqlServerDbContext>;
