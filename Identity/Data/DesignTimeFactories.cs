using Shop.Data;

namespace Shop.Identity.Data;

sealed class IdentityPostgresDesignTimeFactory : PostgresDesignTimeFactory<IdentityPostgresDbContext>;

sealed class IdentitySqlServerDesignTimeFactory : SqlServerDesignTimeFactory<IdentitySqlServerDbContext>;
