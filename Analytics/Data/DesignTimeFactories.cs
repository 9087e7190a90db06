using Shop.Data;
using Shop.ServiceDefaults;

namespace Shop.Analytics.Data;

sealed class AnalyticsPostgresDesignTimeFactory : PostgresDesignTimeFactory<AnalyticsPostgresDbContext>;

sealed class AnalyticsSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<AnalyticsSqlServerDbContext>;
