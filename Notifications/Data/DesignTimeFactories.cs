using Shop.Data;
using Shop.ServiceDefaults;

namespace Shop.Notifications.Data;

sealed class NotificationsPostgresDesignTimeFactory : PostgresDesignTimeFactory<NotificationsPostgresDbContext>;

sealed class NotificationsSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<NotificationsSqlServerDbContext>;
