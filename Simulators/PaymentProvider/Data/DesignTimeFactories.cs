using Shop.Data;
using Shop.ServiceDefaults;

namespace Shop.PaymentProvider.Data;

sealed class ProviderPostgresDesignTimeFactory : PostgresDesignTimeFactory<ProviderPostgresDbContext>;

sealed class ProviderSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<ProviderSqlServerDbContext>;
