using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Storage;
using Shop.Shipping.Domain;

namespace Shop.Shipping.Data;

public class ShippingDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Shipment> Shipments => Set<Shipment>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Shipment>(shipment =>
        {
            shipment.ToTable("Shipments");
            shipment.HasKey(x => x.Id);
            shipment.Property(x => x.Id).ValueGeneratedNever();
            shipment.HasIndex(x => x.OrderId).IsUnique();
            shipment.HasIndex(x => x.TrackingNumber).IsUnique();
            shipment.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            shipment.Property(x => x.TrackingNumber).HasMaxLength(32);
            shipment.Property(x => x.Country).HasMaxLength(2);
            shipment.Property(x => x.Reason).HasMaxLength(256);
            shipment.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.AddMessagingTables();
    }
}
