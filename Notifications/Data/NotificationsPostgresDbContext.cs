using Microsoft.EntityFrameworkCore;

namespace Shop.Notifications.Data;

public sealed class NotificationsPostgresDbContext(DbContextOptions<NotificationsPostgresDbContext> options) : NotificationsDbContext(options);
