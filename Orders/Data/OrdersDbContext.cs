using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Shop.Contracts;
using Shop.Messaging.Sagas;
using Shop.Messaging.Storage;
using Shop.Orders.Domain;
using Shop.Orders.Saga;
using Shop.Orders.Timeline;

namespace Shop.Orders.Data;

/// <summary>
/// Orders as submitted (<c>Orders</c>, <c>OrderLines</c>), the saga's <c>OrderState</c> and its history
/// (<c>OrderTimeline</c>), the price list kept from Inventory's product events (<c>Prices</c>), and the inbox/outbox tables.
/// </summary>
public class OrdersDbContext(DbContextOptions options) : DbContext(options)
{
    static readonly JsonSerializerOptions LinesJson = new(JsonSerializerDefaults.Web);

    protected const string DeadlineIndex = "IX_OrderState_DeadlineAt";

    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OrderState> OrderStates => Set<OrderState>();
    public DbSet<OrderTimelineEntry> Timeline => Set<OrderTimelineEntry>();
    public DbSet<ProductPrice> Prices => Set<ProductPrice>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMessagingTables();

        modelBuilder.Entity<Order>(order =>
        {
            order.ToTable("Orders");
            order.HasKey(x => x.Id);
            order.Property(x => x.Id).ValueGeneratedNever();
            order.Property(x => x.CustomerId).HasMaxLength(OrderLimits.IdLength);
            order.Property(x => x.Email).HasMaxLength(OrderLimits.EmailLength);
            order.Property(x => x.Total).HasPrecision(18, 2);
            order.Property(x => x.ShippingLine1).HasMaxLength(OrderLimits.AddressLineLength);
            order.Property(x => x.ShippingCity).HasMaxLength(OrderLimits.CityLength);
            order.Property(x => x.ShippingPostalCode).HasMaxLength(OrderLimits.PostalCodeLength);
            order.Property(x => x.ShippingCountry).HasMaxLength(2).IsFixedLength();
            order.Property(x => x.IdempotencyKey).HasMaxLength(OrderLimits.IdempotencyKeyLength);
            order.Property(x => x.RequestHash).HasMaxLength(64).IsFixedLength();
            order.Property(x => x.PaymentToken).HasMaxLength(OrderLimits.SealedPaymentTokenLength);
            // Keys are the customer's own: the same key from two customers is two orders.
            order.HasIndex(x => new { x.CustomerId, x.IdempotencyKey }).IsUnique();
            order.HasIndex(x => x.CustomerId);

            order.OwnsMany(x => x.Lines, line =>
            {
                line.ToTable("OrderLines");
                line.WithOwner().HasForeignKey("OrderId");
                line.Property<int>("Id");
                line.HasKey("OrderId", "Id");
                line.Property(x => x.Sku).HasMaxLength(OrderLimits.IdLength);
                line.Property(x => x.UnitPrice).HasPrecision(18, 2);
            });
            order.Navigation(x => x.Lines).AutoInclude();
        });

        modelBuilder.Entity<OrderState>(state =>
        {
            state.ToTable("OrderState");
            state.MapSagaState();
            state.Property(x => x.CustomerId).HasMaxLength(OrderLimits.IdLength);
            state.Property(x => x.Email).HasMaxLength(OrderLimits.EmailLength);
            state.Property(x => x.Total).HasPrecision(18, 2);
            state.Property(x => x.PaymentToken).HasMaxLength(OrderLimits.SealedPaymentTokenLength);
            state.Property(x => x.ShippingLine1).HasMaxLength(OrderLimits.AddressLineLength);
            state.Property(x => x.ShippingCity).HasMaxLength(OrderLimits.CityLength);
            state.Property(x => x.ShippingPostalCode).HasMaxLength(OrderLimits.PostalCodeLength);
            state.Property(x => x.ShippingCountry).HasMaxLength(2).IsFixedLength();
            state.Property(x => x.TrackingNumber).HasMaxLength(100);
            state.Property(x => x.CancellationReason).HasMaxLength(32);
            // The deadline poller's seek; each provider's context keeps only the rows with a deadline in it.
            state.HasIndex(x => x.DeadlineAt).HasDatabaseName(DeadlineIndex);
            state.Property(x => x.Lines).HasConversion(
                lines => JsonSerializer.Serialize(lines, LinesJson),
                json => JsonSerializer.Deserialize<List<OrderLine>>(json, LinesJson) ?? new List<OrderLine>(),
                new ValueComparer<List<OrderLine>>(
                    (left, right) => left!.SequenceEqual(right!),
                    lines => lines.Aggregate(0, (hash, line) => HashCode.Combine(hash, line)),
                    lines => lines.ToList()));
        });

        modelBuilder.Entity<ProductPrice>(price =>
        {
            price.ToTable("Prices");
            price.HasKey(x => x.Sku);
            price.Property(x => x.Sku).HasMaxLength(OrderLimits.IdLength);
            price.Property(x => x.Name).HasMaxLength(OrderLimits.ProductNameLength);
            price.Property(x => x.UnitPrice).HasPrecision(18, 2);
            price.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<OrderTimelineEntry>(entry =>
        {
            entry.ToTable("OrderTimeline");
            entry.HasKey(x => new { x.OrderId, x.Sequence });
            entry.Property(x => x.Kind).HasConversion<string>().HasMaxLength(16);
            entry.Property(x => x.Name).HasMaxLength(OrderTimelineEntry.NameLength);
            entry.Property(x => x.Detail).HasMaxLength(OrderTimelineEntry.DetailLength);
        });
    }
}
