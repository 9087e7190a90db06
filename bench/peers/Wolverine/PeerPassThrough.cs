using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using JasperFx;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Shop.Bench.Raw;
using Wolverine;
using Wolverine.EntityFrameworkCore;
using Wolverine.Postgresql;
using Wolverine.RabbitMQ;

namespace Shop.Peers.Wolverine;

/// <summary>
/// The pass-through of bench/Shop.Messaging.Benchmark on Wolverine: the commands wait in the queue before the host
/// starts (put there by the raw client), the handler reads and updates one row and returns one event, which Wolverine
/// stores in its durable outbox in the handler's transaction and sends with publisher confirms. A raw consumer counts
/// the events. The clock runs as Shop's does: from the first measured command handled to the last event received.
/// </summary>
static class PeerPassThrough
{
    const string CommandQueue = "wolverine-bench-command";
    const string EventQueue = "wolverine-bench-event";
    const string Database = "shop_bench_wolverine";

    /// <summary>Wolverine declares its queues with this dead-letter exchange; a queue declared without it fails its declaration.</summary>
    static readonly Dictionary<string, object?> QueueArguments = new() { ["x-dead-letter-exchange"] = "wolverine-dead-letter-queue" };

    public static async Task<double> Measure(BenchSettings settings, int messages, int warmup)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        var connectionString = await BenchDatabase.Recreate(settings, Database);
        Probe.Reset(warmup, messages);

        await using var broker = await RawBroker.Factory(settings).CreateConnectionAsync();
        await LoadCommands(broker, warmup + messages);
        await using var counter = await CountEvents(broker);

        using var host = await StartHost(settings, connectionString, warmup + messages);
        await Probe.Done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        var rate = messages / Probe.Elapsed.TotalSeconds;
        if (Probe.Duplicates > 0)
            throw new InvalidOperationException($"{Probe.Duplicates} events were delivered twice.");
        await host.StopAsync();
        return rate;
    }

    static async Task LoadCommands(IConnection broker, int count)
    {
        await using var channel = await RawBroker.CreateConfirmingChannel(broker);
        foreach (var queue in new[] { CommandQueue, EventQueue })
        {
            await channel.QueueDeleteAsync(queue);
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, arguments: QueueArguments);
        }

        // No Wolverine type header: the listener takes them as its default incoming message type.
        var properties = new BasicProperties { Persistent = true, ContentType = "application/json" };
        var inFlight = new List<Task>(125);
        for (var i = 0; i < count; i++)
        {
            inFlight.Add(channel.BasicPublishAsync("", CommandQueue, false, properties, JsonSerializer.SerializeToUtf8Bytes(new PeerCommand(i))).AsTask());
            if (inFlight.Count == 125)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }

    static async Task<IChannel> CountEvents(IConnection broker)
    {
        var channel = await broker.CreateChannelAsync();
        await channel.BasicQosAsync(0, 500, false);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var @event = JsonSerializer.Deserialize<PeerEvent>(delivery.Body.Span, JsonSerializerOptions.Web)!;
            Probe.Received(@event);
            await channel.BasicAckAsync(delivery.DeliveryTag, false);
        };
        await channel.BasicConsumeAsync(EventQueue, autoAck: false, consumer);
        return channel;
    }

    static async Task<IHost> StartHost(BenchSettings settings, string connectionString, int rows)
    {
        await using (var db = new PeerDbContext(new DbContextOptionsBuilder<PeerDbContext>().UseNpgsql(connectionString).Options))
        {
            await db.Database.EnsureCreatedAsync();
            db.Counters.AddRange(Enumerable.Range(0, rows).Select(i => new PeerCounter { Id = i }));
            await db.SaveChangesAsync();
        }

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.UseWolverine(opts =>
        {
            opts.ServiceName = "shop-peer-wolverine";
            // Wolverine's recommended durable setup: its message store in PostgreSQL, EF Core transactions around each
            // handler, durable inbox on every listener and durable outbox on every sender.
            opts.PersistMessagesWithPostgresql(connectionString, "wolverine");
            opts.Services.AddDbContextWithWolverineIntegration<PeerDbContext>(x => x.UseNpgsql(connectionString));
            opts.UseEntityFrameworkCoreTransactions();
            opts.Policies.AutoApplyTransactions();
            opts.Policies.UseDurableInboxOnAllListeners();
            opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
            // One node: no leader election between nodes (as Shop's benchmark runs one process).
            opts.Durability.Mode = DurabilityMode.Solo;
            opts.AutoBuildMessageStorageOnStartup = AutoCreate.CreateOrUpdate;

            opts.UseRabbitMq(factory =>
                {
                    factory.HostName = settings.RabbitHost;
                    factory.UserName = settings.RabbitUser;
                    factory.Password = settings.RabbitPassword;
                    factory.VirtualHost = settings.RabbitVirtualHost;
                })
                .AutoProvision()
                // Off by default in 6.62: on, so both sides are durable alike (Shop's bus publishes with confirms).
                .ConfigureChannelCreation(channel =>
                {
                    channel.PublisherConfirmationsEnabled = true;
                    channel.PublisherConfirmationTrackingEnabled = true;
                });
            // As Shop's consumers: 16 at a time, prefetch 32.
            opts.ListenToRabbitQueue(CommandQueue).DefaultIncomingMessage<PeerCommand>().MaximumParallelMessages(16).PreFetchCount(32);
            opts.PublishMessage<PeerEvent>().ToRabbitQueue(EventQueue);

            // The raw loader writes the commands' JSON itself: read it whatever the property names' case.
            opts.UseSystemTextJsonForSerialization(json => json.PropertyNameCaseInsensitive = true);
            // Wolverine 6 generates its handler adapters only with the runtime compilation package.
            opts.UseRuntimeCompilation();
            opts.Discovery.DisableConventionalDiscovery().IncludeType(typeof(PeerCommandHandler));
        });

        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}

public sealed record PeerCommand(int Key);

public sealed record PeerEvent(int Key, int Value);

public sealed class PeerCounter
{
    public int Id { get; set; }
    public int Value { get; set; }
    public int Version { get; set; }
}

public sealed class PeerDbContext(DbContextOptions<PeerDbContext> options) : DbContext(options)
{
    public DbSet<PeerCounter> Counters => Set<PeerCounter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<PeerCounter>().Property(x => x.Id).ValueGeneratedNever();
        modelBuilder.Entity<PeerCounter>().Property(x => x.Version).IsConcurrencyToken();
    }
}

/// <summary>Reads and updates the row (version-checked, as Shop's benchmark does); the returned event goes out through the outbox.</summary>
public static class PeerCommandHandler
{
    public static async Task<PeerEvent> Handle(PeerCommand command, PeerDbContext db, CancellationToken cancellationToken)
    {
        Probe.Consumed();
        var counter = await db.Counters.SingleAsync(x => x.Id == command.Key, cancellationToken);
        counter.Value++;
        counter.Version++;
        return new PeerEvent(counter.Id, counter.Value);
    }
}

/// <summary>The clock and the duplicate check: each update gives its row a new value, so (row, value) names one event.</summary>
static class Probe
{
    static readonly ConcurrentDictionary<(int Key, int Value), int> Deliveries = new();
    static int _warmup;
    static int _expected;
    static int _consumed;
    static int _received;
    static long _started;
    static long _finished;

    public static TaskCompletionSource Done { get; private set; } = new();

    public static TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started, _finished);

    public static int Duplicates => Deliveries.Values.Sum(n => n - 1);

    public static void Reset(int warmup, int measured)
    {
        (_warmup, _expected, _consumed, _received, _started) = (warmup, warmup + measured, 0, 0, 0);
        Deliveries.Clear();
        Done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public static void Consumed()
    {
        if (Interlocked.Increment(ref _consumed) == _warmup + 1)
            _started = Stopwatch.GetTimestamp();
    }

    public static void Received(PeerEvent @event)
    {
        Deliveries.AddOrUpdate((@event.Key, @event.Value), 1, (_, n) => n + 1);
        if (Interlocked.Increment(ref _received) == _expected)
        {
            _finished = Stopwatch.GetTimestamp();
            Done.TrySetResult();
        }
    }
}
