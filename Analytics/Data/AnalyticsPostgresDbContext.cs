using Microsoft.EntityFrameworkCore;

namespace Shop.Analytics.Data;

public sealed class AnalyticsPostgresDbContext(DbContextOptions<AnalyticsPostgresDbContext> options) : AnalyticsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<LoggedEvent>(e =>
        {
            // The database's clock, never the producer's.
            e.Property(x => x.RecordedAt).HasDefaultValueSql("clock_timestamp()");
            // The writing transaction's id: a replay reads only below pg_snapshot_xmin, where every row has committed.
            e.Property<long>(PostgresTxIdColumn).HasDefaultValueSql("(pg_current_xact_id()::text)::bigint");
            e.HasIndex(PostgresTxIdColumn, nameof(LoggedEvent.Position));
        });
        modelBuilder.Entity<OperationsAlert>().Property(x => x.RecordedAt).HasDefaultValueSql("clock_timestamp()");
    }
}
