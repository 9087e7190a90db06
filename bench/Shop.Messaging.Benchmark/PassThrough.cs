using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Bench.Raw;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.Outbox;
using Shop.Messaging.Signing;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Benchmark;

/// <summary>
/// What a Shop service does per message: consume a command under the transactional inbox/outbox, update a row with
/// optimistic concurrency, publish one event, commit; the delivery service sends the event. The first
/// <c>warmup</c> messages run the same path untimed (a fresh process spends a sixth of its CPU in the JIT for its first
/// few thousand messages). The clock runs from the first measured command consumed to the last event received, so
/// warm-up events still waiting in the outbox are delivered inside the measured time: the figure errs low, not high.
/// </summary>
static class PassThrough
{
    const string CommandQueue = "bench-command";

    /// <param name="signing">Every message signed when sent and verified when received (as in the services), or neither.</param>
    public static async Task<PassThroughResult> Measure(BenchSettings settings, int messages, int rows, int warmup, int latencySamples, bool signing)
    {
        // A previous run's pooled connections point at the database Recreate drops: drop them first.
        Npgsql.NpgsqlConnection.ClearAllPools();
        var connectionString = await BenchDatabase.Recreate(settings, "shop_bench_passthrough");
        Probe.Reset(warmup, messages);

        // The commands wait in the queue before the service starts (published with the raw client, so loading costs
        // the service nothing).
        await QueueLoader.Load(settings, CommandQueue, Enumerable.Range(0, warmup + messages).Select(i => new BenchCommand(i % rows)), signing);
        await using var host = await StartHost(settings, connectionString, rows, signing);
        await Probe.Done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        var rate = messages / Probe.Elapsed.TotalSeconds;

        // Idle: one command at a time, the next only once the previous event arrived. Measured from the consumer's
        // commit to the event reaching the probe through RabbitMQ, so it includes the broker's hop to a consumer.
        await Task.Delay(TimeSpan.FromSeconds(1));
        await using var publisher = await QueueLoader.Connect(settings, signing);
        var latencies = new List<double>(latencySamples);
        for (var i = 0; i < latencySamples; i++)
        {
            var arrived = Probe.Expect(i % rows);
            await publisher.Publish(CommandQueue, new BenchCommand(i % rows));
            latencies.Add((await arrived.WaitAsync(TimeSpan.FromSeconds(30))).TotalMilliseconds);
            await Task.Delay(TimeSpan.FromMilliseconds(20));
        }

        if (Probe.Duplicates > 0)
            throw new InvalidOperationException($"{Probe.Duplicates} events were delivered twice.");
        return new PassThroughResult(rate, Percentiles.Of(latencies));
    }

    static async Task<AsyncHost> StartHost(BenchSettings settings, string connectionString, int rows, bool signing)
    {
        // Development, so that without a key signing is simply off; its DI scope checks stay off in both runs (A/B fair).
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environments.Development });
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateScopes = false, ValidateOnBuild = false }));
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Error);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = settings.RabbitHost,
            ["RabbitMq:Username"] = settings.RabbitUser,
            ["RabbitMq:Password"] = settings.RabbitPassword,
        });
        builder.Configuration.AddInMemoryCollection(BenchSigning.Settings(signing));
        builder.Services.AddMessageSenders(BenchSigning.Senders);
        builder.Services.AddDbContextPool<BenchDbContext>(options => options.UseNpgsql(PostgresConnectionTuning.Apply(connectionString)));
        // The probe only counts what arrives: no inbox/outbox for it, as before the standard policy became the default.
        builder.Services.Configure<EndpointPolicyOptions>(options => options.WithoutStandardPolicy.Add("bench-event-probe"));
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

public sealed record PassThroughResult(double MessagesPerSecond, Percentiles IdleCommitToConsumerMs);

public sealed record Percentiles(double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(List<double> values)
    {
        values.Sort();
        double At(double q) => values[Math.Min(values.Count - 1, (int)Math.Ceiling(q * values.Count) - 1)];
        return new Percentiles(At(0.50), At(0.95), At(0.99), values[^1]);
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
        Probe.Consumed();
        var counter = await db.Counters.SingleAsync(x => x.Id == context.Message.Key);
        counter.Value++;
        counter.Version++;
        var @event = new BenchEvent(counter.Id, counter.Value);
        await context.Publish(@event);
        context.RunAfterCommit(() => Probe.Committed(@event));
    }
}

public sealed class BenchCommandConsumerDefinition : ConsumerDefinition<BenchCommandConsumer>
{
    public BenchCommandConsumerDefinition()
    {
        EndpointName = "bench-command";
        // As the services' consumers (prefetch: the service default, 32).
        ConcurrentMessageLimit = 16;
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
    static readonly ConcurrentDictionary<(int Key, int Value), long> CommittedAt = new();
    static (int Key, TaskCompletionSource<TimeSpan> Arrived)? _latencyProbe;
    static int _warmup;
    static int _expected;
    static int _consumed;
    static int _received;
    static long _started;
    static long _finished;

    public static TaskCompletionSource Done { get; private set; } = new();

    public static TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started, _finished);

    public static void Reset(int warmup, int measured)
    {
        _warmup = warmup;
        _expected = warmup + measured;
        _consumed = 0;
        _received = 0;
        _started = 0;
        Deliveries.Clear();
        CommittedAt.Clear();
        Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The clock starts at the first command consumed after the warm-up (a retried attempt counts too: early, not late).</summary>
    public static void Consumed()
    {
        if (Interlocked.Increment(ref _consumed) == _warmup + 1)
            _started = Stopwatch.GetTimestamp();
    }

    /// <summary>Latency mode: the next event for <paramref name="key"/> completes the task with its commit-to-arrival time.</summary>
    public static Task<TimeSpan> Expect(int key)
    {
        var arrived = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        _latencyProbe = (key, arrived);
        return arrived.Task;
    }

    public static void Committed(BenchEvent @event)
    {
        if (_latencyProbe is { } expected && expected.Key == @event.Key)
            CommittedAt[(@event.Key, @event.Value)] = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// Events that arrived more than once. Each update gives its row a new value, so (row, value) names one event: the
    /// outbox must deliver each exactly once.
    /// </summary>
    public static int Duplicates => Deliveries.Values.Sum(n => n - 1);

    public Task Consume(ConsumeContext<BenchEvent> context)
    {
        var key = (context.Message.Key, context.Message.Value);
        if (_latencyProbe is { } expected && expected.Key == key.Key && CommittedAt.TryRemove(key, out var committed))
            expected.Arrived.TrySetResult(Stopwatch.GetElapsedTime(committed));

        Deliveries.AddOrUpdate(key, 1, (_, n) => n + 1);
        if (Interlocked.Increment(ref _received) == _expected)
        {
            _finished = Stopwatch.GetTimestamp();
            Done.TrySetResult();
        }

        return Task.CompletedTask;
    }
}
