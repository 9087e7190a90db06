using Microsoft.EntityFrameworkCore;

namespace Shop.Notifications.Data;

public sealed class NotificationsSqlServerDbContext(DbContextOptions<NotificationsSqlServerDbContext> options) : NotificationsDbContext(options);
