using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Storage;

namespace Shop.Analytics.Data;

public class AnalyticsDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>The replay stamp's column: PostgreSQL's writing transaction id, SQL Server's rowversion.</summary>
    public const string PostgresTxIdColumn = "TxId";

    public const string SqlServerRowVersionColumn = "RowVersion";

    public DbSet<LoggedEvent> Events => Set<LoggedEvent>();
    public DbSet<OrderFactsRow> OrderFacts => Set<OrderFactsRow>();
    public DbSet<ProjectionState> Projections => Set<ProjectionState>();
    public DbSet<RevenueByDayRow> RevenueByDay => Set<RevenueByDayRow>();
    public DbSet<SkuUnitsRow> SkuUnits => Set<SkuUnitsRow>();
    public DbSet<CancellationsByReasonRow> CancellationsByReason => Set<CancellationsByReasonRow>();
    public DbSet<FunnelStepRow> FunnelSteps => Set<FunnelStepRow>();
    public DbSet<OperationsAlert> OperationsAlerts => Set<OperationsAlert>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LoggedEvent>(e =>
        {
            e.ToTable("Events");
            e.HasKey(x => x.Position);
            e.Property(x => x.Position).ValueGeneratedOnAdd();
            // A duplicate (redelivery, replay, import) is refused here, in the transaction of the projection write.
            e.HasIndex(x => x.EventId).IsUnique();
            e.HasIndex(x => x.OrderId);
            e.HasIndex(x => x.OccurredAt);
            e.HasIndex(x => x.RecordedAt);
            e.Property(x => x.Type).HasMaxLength(64);
            e.Property(x => x.RecordedAt).ValueGeneratedOnAdd();
        });

        modelBuilder.Entity<OrderFactsRow>(e =>
        {
            e.ToTable("OrderFacts");
            e.HasKey(x => x.OrderId);
            e.Property(x => x.OrderId).ValueGeneratedNever();
            e.Property(x => x.Version).IsConcurrencyToken();
            e.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(16);
            e.Property(x => x.CancelReason).HasMaxLength(64);
            e.Property(x => x.SubmittedTotal).HasPrecision(18, 2);
            e.Property(x => x.CompletedTotal).HasPrecision(18, 2);
            e.HasIndex(x => x.Epoch);
        });

        modelBuilder.Entity<ProjectionState>(e =>
        {
            e.ToTable("Projections");
            e.HasKey(x => x.Name);
            e.Property(x => x.Name).HasMaxLength(32);
            e.Property(x => x.CodeVersion).HasMaxLength(32);
            e.Property(x => x.BuildingCodeVersion).HasMaxLength(32);
        });

        modelBuilder.Entity<RevenueByDayRow>(e =>
        {
            e.ToTable("RevenueByDay");
            e.HasKey(x => new { x.Generation, x.Day });
            e.Property(x => x.Revenue).HasPrecision(18, 2);
        });
        modelBuilder.Entity<SkuUnitsRow>(e =>
        {
            e.ToTable("SkuUnits");
            e.HasKey(x => new { x.Generation, x.Sku });
            e.Property(x => x.Sku).HasMaxLength(64);
        });
        modelBuilder.Entity<CancellationsByReasonRow>(e =>
        {
            e.ToTable("CancellationsByReason");
            e.HasKey(x => new { x.Generation, x.Reason });
            e.Property(x => x.Reason).HasMaxLength(64);
        });
        modelBuilder.Entity<FunnelStepRow>(e =>
        {
            e.ToTable("FunnelSteps");
            e.HasKey(x => new { x.Generation, x.Step });
            e.Property(x => x.Step).HasMaxLength(16);
        });

        modelBuilder.Entity<OperationsAlert>(e =>
        {
            e.ToTable("OperationsAlerts");
            e.HasKey(x => x.OrderId);
            e.Property(x => x.OrderId).ValueGeneratedNever();
            e.Property(x => x.Reason).HasMaxLength(64);
            e.Property(x => x.RecordedAt).ValueGeneratedOnAdd();
            e.HasIndex(x => x.RecordedAt);
        });

        modelBuilder.AddMessagingTables();
    }
}
