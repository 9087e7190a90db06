using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Messaging.Sagas;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Tests.Infrastructure;

public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public DbSet<Counter> Counters => Set<Counter>();
    public DbSet<WorkState> Work => Set<WorkState>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMessagingTables();
        modelBuilder.Entity<Counter>().HasKey(x => x.Key);
        modelBuilder.Entity<WorkState>(work =>
        {
            work.ToTable("WorkState");
            work.MapSagaState();
        });
    }
}

public sealed class Counter
{
    public required string Key { get; init; }
    public int Value { get; set; }
}

public sealed class WorkState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }
    public string CurrentState { get; set; } = null!;
    public int Version { get; set; }
    public int Additions { get; set; }
    public int Timeouts { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? TimedOutAt { get; set; }
    public Guid? TimeoutTokenId { get; set; }
}
