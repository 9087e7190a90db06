using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Bench.Raw;
using Shop.Messaging.Configuration;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Benchmark;

/// <summary>
/// What a Shop service does per message: consume a command under the transactional inbox/outbox, update a row with
/// optimistic concurrency, publish one event, commit; the delivery service sends the event. Measured from the first
/// command consumed to the last event received.
/// </summary>
static class PassThrough
{
    public static async Task<double> Rate(BenchSettings settings, int messages, int rows)
    {
        var connectionString = await BenchDatabase.Recreate(settings, "shop_bench_passthrough");
        Probe.Reset(messages);

        // The commands wait in the queue before the service starts (published with the raw client, so loading costs
        // the service nothing); the clock runs from the first command consumed to the last event received.
        await QueueLoader.Load(settings, "bench-command", Enumerable.Range(0, messages).Select(i => new BenchCommand(i % rows)));
        await using var host = await StartHost(settings, connectionString, rows);
        await Probe.Done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        if (Probe.Duplicates > 0)
            throw new InvalidOperationException($"{Probe.Duplicates} events were delivered twice.");
        return messages / Probe.Elapsed.TotalSeconds;
    }

    static async Task<AsyncHost> StartHost(BenchSettings settings, string connectionString, int rows)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = settings.RabbitHost,
            ["RabbitMq:Username"] = settings.RabbitUser,
            ["RabbitMq:Password"] = settings.RabbitPassword,
            ["RabbitMq:PrefetchCount"] = "64",
        });
        builder.Services.AddDbContextPool<BenchDbContext>((services, options) => options.UseNpgsql(connectionString).UseShopOutboxSignals(services));
        builder.Services.AddShopMessaging<BenchDbContext>(builder.Configuration, bus =>
        {
            bus.AddConsumer<BenchCommandConsumer, BenchCommandConsumerDefinition>();
            bus.AddConsumer<Probe>().Endpoint(e => e.Name = "bench-event-probe");
        });

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            // The database was just recreated: create the schema and the rows.
            var db = scope.ServiceProvider.GetRequiredService<BenchDbContext>();
            await db.Database.EnsureCreatedAsync();
            db.Counters.AddRange(Enumerable.Range(0, rows).Select(i => new BenchCounter { Id = i }));
            await db.SaveChangesAsync();
        }

        await host.StartAsync();
        return new AsyncHost(host);
    }

    sealed class AsyncHost(IHost host) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await host.StopAsync();
            host.Dispose();
        }
    }
}

public sealed record BenchCommand(int Key);

public sealed record BenchEvent(int Key, int Value);

public sealed class BenchCounter
{
    public int Id { get; set; }
    public int Value { get; set; }
    public int Version { get; set; }
}

public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    public DbSet<BenchCounter> Counters => Set<BenchCounter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddMessagingTables();
        modelBuilder.Entity<BenchCounter>().Property(x => x.Id).ValueGeneratedNever();
        modelBuilder.Entity<BenchCounter>().Property(x => x.Version).IsConcurrencyToken();
    }
}

public sealed class BenchCommandConsumer(BenchDbContext db) : IConsumer<BenchCommand>
{
    public async Task Consume(ConsumeContext<BenchCommand> context)
    {
        Probe.FirstConsumed();
        var counter = await db.Counters.SingleAsync(x => x.Id == context.Message.Key);
        counter.Value++;
        counter.Version++;
        await context.Publish(new BenchEvent(counter.Id, counter.Value));
    }
}

public sealed class BenchCommandConsumerDefinition : ConsumerDefinition<BenchCommandConsumer>
{
    public BenchCommandConsumerDefinition()
    {
        EndpointName = "bench-command";
        ConcurrentMessageLimit = 32;
    }

    protected override void ConfigureConsumer(IReceiveEndpointConfigurator endpoint, IConsumerConfigurator<BenchCommandConsumer> consumer,
        IRegistrationContext context)
    {
        endpoint.UseShopRetry(context, retry => retry.ImmediateRetries = 20);
        endpoint.UseShopOutbox(context);
    }
}

/// <summary>Counts the events as the broker delivers them.</summary>
public sealed class Probe : IConsumer<BenchEvent>
{
    static readonly ConcurrentDictionary<(int Key, int Value), int> Deliveries = new();
    static int _expected;
    static int _received;
    static long _started;
    static long _finished;

    public static TaskCompletionSource Done { get; private set; } = new();

    public static TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started, _finished);

    public static void Reset(int expected)
    {
        _expected = expected;
        _received = 0;
        _started = 0;
        Deliveries.Clear();
        Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public static void FirstConsumed() => Interlocked.CompareExchange(ref _started, Stopwatch.GetTimestamp(), 0);

    /// <summary>
    /// Events that arrived more than once. Each update gives its row a new value, so (row, value) names one event: the
    /// outbox must deliver each exactly once.
    /// </summary>
    public static int Duplicates => Deliveries.Values.Sum(n => n - 1);

    public Task Consume(ConsumeContext<BenchEvent> context)
    {
        Deliveries.AddOrUpdate((context.Message.Key, context.Message.Value), 1, (_, n) => n + 1);
        if (Interlocked.Increment(ref _received) == _expected)
        {
            _finished = Stopwatch.GetTimestamp();
            Done.TrySetResult();
        }

        return Task.CompletedTask;
    }
}
