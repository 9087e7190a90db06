using Microsoft.EntityFrameworkCore;

namespace Shop.Console.Audit;

/// <summary>The console's own database: its audit of operator actions (docs/console.md#audit).</summary>
public class ConsoleDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<OperatorAction> OperatorActions => Set<OperatorAction>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<OperatorAction>(e =>
        {
            e.ToTable("OperatorActions");
            // One row per message of an operation: a second post of the operation fails its claim here.
            e.HasKey(x => new { x.OperationId, x.MessageId });
            e.Property(x => x.MessageId).HasMaxLength(OperatorAction.MessageIdLength);
            e.Property(x => x.Operator).HasMaxLength(OperatorAction.OperatorLength);
            e.Property(x => x.Action).HasMaxLength(16);
            e.Property(x => x.Queue).HasMaxLength(OperatorAction.QueueLength);
            e.Property(x => x.MessageType).HasMaxLength(OperatorAction.MessageTypeLength);
            e.Property(x => x.Result).HasMaxLength(OperatorAction.ResultLength);
            e.HasIndex(x => x.At);
            e.HasIndex(x => x.OrderId);
        });
    }
}

public sealed class ConsolePostgresDbContext(DbContextOptions<ConsolePostgresDbContext> options) : ConsoleDbContext(options);

public sealed class ConsoleSqlServerDbContext(DbContextOptions<ConsoleSqlServerDbContext> options) : ConsoleDbContext(options);
