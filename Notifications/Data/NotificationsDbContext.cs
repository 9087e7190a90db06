using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Storage;
using Shop.Notifications.Domain;

namespace Shop.Notifications.Data;

public class NotificationsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Notification> Notifications => Set<Notification>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Notification>(notification =>
        {
            notification.ToTable("Notifications");
            notification.HasKey(x => x.Id);
            notification.Property(x => x.Id).ValueGeneratedNever();
            notification.HasIndex(x => new { x.OrderId, x.Kind }).IsUnique();
            notification.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            notification.Property(x => x.Recipient).HasMaxLength(320);
            notification.Property(x => x.Text).HasMaxLength(1000);
        });

        modelBuilder.AddMessagingTables();
    }
}
