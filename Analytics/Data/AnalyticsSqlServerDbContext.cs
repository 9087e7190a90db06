using Microsoft.EntityFrameworkCore;

namespace Shop.Analytics.Data;

public sealed class AnalyticsSqlServerDbContext(DbContextOptions<AnalyticsSqlServerDbContext> options) : AnalyticsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<LoggedEvent>(e =>
        {
            // The database's clock, never the producer's.
            e.Property(x => x.RecordedAt).HasDefaultValueSql("SYSDATETIMEOFFSET()");
            // A replay reads only below MIN_ACTIVE_ROWVERSION(), where every row has committed.
            e.Property<byte[]>(SqlServerRowVersionColumn).IsRowVersion();
            e.HasIndex(SqlServerRowVersionColumn);
        });
        modelBuilder.Entity<OperationsAlert>().Property(x => x.RecordedAt).HasDefaultValueSql("SYSDATETIMEOFFSET()");
    }
}
