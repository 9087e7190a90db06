using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Data;
using Shop.Inventory.Apis;
using Shop.Inventory.Domain;
using Shop.Messaging.Storage;

namespace Shop.Inventory.Data;

public class InventoryDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<StockItem> Stock => Set<StockItem>();
    public DbSet<Reservation> Reservations => Set<Reservation>();
    public DbSet<StockAdjustment> Adjustments => Set<StockAdjustment>();
    public DbSet<Product> Products => Set<Product>();

    /// <summary>The reservation with its lines in SKU order: releasing and committing lock the stock rows in the order reserving did.</summary>
    public Task<Reservation?> FindReservationAsync(Guid orderId, CancellationToken cancellationToken) =>
        Reservations.Include(x => x.Lines.OrderBy(line => line.Sku)).SingleOrDefaultAsync(x => x.OrderId == orderId, cancellationToken);

    /// <summary>
    /// Takes every line's quantity into reserve if every line is available, else nothing; returns the SKUs that lacked
    /// units (empty when reserved). One round trip for all lines: their stock rows locked in SKU order, then one guarded
    /// update that changes all of them or none.
    /// </summary>
    public async Task<IReadOnlyList<string>> TryReserveAsync(IReadOnlyList<ReservationLine> lines, CancellationToken cancellationToken)
    {
        var (available, changed) = await StockStatements.For(this).RunAsync(this, lines, StockChange.Reserve, cancellationToken);
        var unavailable = lines.Where(x => !available.TryGetValue(x.Sku, out var units) || units < x.Quantity).Select(x => x.Sku).ToList();
        // The rows are locked and read before the update, so it sees what the lock read: all lines or none.
        if (changed != (unavailable.Count == 0 ? lines.Count : 0))
            throw new InvalidOperationException($"The reservation changed {changed} of {lines.Count} stock rows; {unavailable.Count} were short.");
        return unavailable;
    }

    /// <summary>Gives the lines' reserved units back, all in one round trip (rows locked in SKU order).</summary>
    public Task ReleaseAsync(IReadOnlyList<ReservationLine> lines, CancellationToken cancellationToken) =>
        StockStatements.For(this).RunAsync(this, lines, StockChange.Release, cancellationToken);

    /// <summary>The reserved units leave the warehouse: on hand and reserved both drop, all lines in one round trip.</summary>
    public Task CommitAsync(IReadOnlyList<ReservationLine> lines, CancellationToken cancellationToken) =>
        StockStatements.For(this).RunAsync(this, lines, StockChange.Commit, cancellationToken);

    /// <summary>
    /// Sets the units on hand of a SKU, creating it if new, and records the difference as a <see cref="StockAdjustment"/>
    /// in the same transaction. False, changing nothing, when more units than that are reserved.
    /// </summary>
    public async Task<bool> TrySetOnHandAsync(string sku, int onHand, DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            var current = await Stock.AsNoTracking().SingleOrDefaultAsync(x => x.Sku == sku, cancellationToken);
            if (current?.Reserved > onHand)
                return false;
            if (current?.OnHand == onHand)
                return true;

            await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
            if (current is null)
                Stock.Add(new StockItem { Sku = sku, OnHand = onHand });
            // Compare-and-set: a concurrent commit or reservation makes this match nothing, and the loop looks again.
            else if (await Stock.Where(x => x.Sku == sku && x.OnHand == current.OnHand && x.Reserved <= onHand)
                         .ExecuteUpdateAsync(x => x.SetProperty(s => s.OnHand, onHand), cancellationToken) == 0)
                continue;

            Adjustments.Add(new StockAdjustment
            {
                Sku = sku,
                Quantity = onHand - (current?.OnHand ?? 0),
                OnHand = onHand,
                Reason = StockAdjustment.Set,
                At = now,
            });
            try
            {
                await SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueViolation(exception))
            {
                // The same new SKU was created concurrently: look again.
                ChangeTracker.Clear();
                continue;
            }

            await transaction.CommitAsync(cancellationToken);
            return true;
        }
    }

    /// <summary>
    /// Creates or changes a product and publishes its <see cref="ProductUpdated"/> through the outbox, both in one
    /// SaveChanges. Unchanged, it publishes nothing. Two concurrent changes of one SKU: the loser (version check, or the
    /// insert of a new SKU) looks again and applies its change on top, with the next version.
    /// </summary>
    public async Task<ProductView> SetProductAsync(string sku, string name, decimal unitPrice, IPublishEndpoint publishEndpoint,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        while (true)
        {
            var product = await Products.SingleOrDefaultAsync(x => x.Sku == sku, cancellationToken);
            if (product is null)
            {
                product = new Product { Sku = sku, Name = name, UnitPrice = unitPrice, Version = 1, UpdatedAt = now.ToStoredPrecision() };
                Products.Add(product);
            }
            else if (product.Name == name && product.UnitPrice == unitPrice)
            {
                return ProductView.From(product);
            }
            else
            {
                product.Name = name;
                product.UnitPrice = unitPrice;
                product.Version++;
                product.UpdatedAt = now.ToStoredPrecision();
            }

            var view = ProductView.From(product);
            await publishEndpoint.Publish(view.ToEvent(), cancellationToken);
            try
            {
                await SaveChangesAsync(cancellationToken);
                return view;
            }
            catch (DbUpdateException exception) when (exception is DbUpdateConcurrencyException || DatabaseErrors.IsUniqueViolation(exception))
            {
                ChangeTracker.Clear();
            }
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMessagingTables();

        modelBuilder.Entity<StockItem>(stock =>
        {
            // Double-quoted identifiers work on PostgreSQL and on SQL Server (QUOTED_IDENTIFIER is on by default).
            stock.ToTable("Stock", table => table.HasCheckConstraint("CK_Stock_Quantities",
                "\"Reserved\" >= 0 AND \"Reserved\" <= \"OnHand\""));
            stock.HasKey(x => x.Sku);
            stock.Property(x => x.Sku).HasMaxLength(StockItem.MaxSkuLength);
        });

        modelBuilder.Entity<Product>(product =>
        {
            product.ToTable("Products");
            product.HasKey(x => x.Sku);
            product.Property(x => x.Sku).HasMaxLength(StockItem.MaxSkuLength);
            product.Property(x => x.Name).HasMaxLength(Product.MaxNameLength);
            product.Property(x => x.UnitPrice).HasPrecision(18, 2);
            product.Property(x => x.Version).IsConcurrencyToken();
        });

        modelBuilder.Entity<StockAdjustment>(adjustment =>
        {
            adjustment.ToTable("StockAdjustments");
            adjustment.HasKey(x => x.Id);
            adjustment.Property(x => x.Sku).HasMaxLength(StockItem.MaxSkuLength);
            adjustment.Property(x => x.Reason).HasMaxLength(16);
            adjustment.HasIndex(x => x.Sku);
        });

        modelBuilder.Entity<Reservation>(reservation =>
        {
            reservation.ToTable("Reservations");
            reservation.HasKey(x => x.OrderId);
            reservation.Property(x => x.OrderId).ValueGeneratedNever();
            reservation.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            reservation.Property(x => x.FailureReason).HasMaxLength(64);
            reservation.Property(x => x.Version).IsConcurrencyToken();
            reservation.HasIndex(x => x.Status);
            reservation.HasMany(x => x.Lines).WithOne().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<ReservationLine>(line =>
        {
            line.ToTable("ReservationLines");
            line.HasKey(x => new { x.OrderId, x.Sku });
            line.Property(x => x.Sku).HasMaxLength(StockItem.MaxSkuLength);
            line.HasIndex(x => x.Sku);
        });
    }
}
