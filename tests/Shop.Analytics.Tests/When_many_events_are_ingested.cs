using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop.Analytics.Data;
using Shop.Analytics.Domain;
using Shop.Analytics.Projections;
using Shop.Contracts;
using Xunit.Abstractions;

namespace Shop.Analytics.Tests;

/// <summary>
/// The cost of ingest, measured: a few hundred orders' events go through <see cref="OrderProjector"/> one transaction
/// per event (as the consumer runs it, minus the inbox claim and MassTransit), counting the database round trips and
/// statements each event takes and the CPU of this process and of the database's backends. The views must still say
/// what the orders say, and the round trips per event stay within a bound, so a change that adds statements fails here.
/// </summary>
public sealed class When_many_events_are_ingested(AnalyticsService analytics, ITestOutputHelper output) : IClassFixture<AnalyticsService>
{
    static readonly DateTimeOffset Day = new(2026, 6, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>Commands sent to the database per event, the commit not counted: one to append and read, one to write.</summary>
    const double MaxRoundTripsPerEvent = 2.0;

    [Fact]
    public async Task Should_take_few_round_trips_per_event_and_give_the_views_the_orders_say()
    {
        var importer = analytics.Service.Services.GetRequiredService<EventImporter>();
        var warmUp = Stories(100, 1);
        var counted = Stories(100, 2);
        var timed = Stories(500, 3);
        await importer.ImportAsync(Logged(warmUp), CancellationToken.None);

        // Counted apart from the timed run: listening to every command costs CPU of its own.
        var countedEvents = Logged(counted);
        double perEvent;
        using (var counter = new DatabaseCommandCounter())
        {
            using (counter.Measure())
                Assert.Equal((countedEvents.Count, 0), await importer.ImportAsync(countedEvents, CancellationToken.None));
            perEvent = (double)counter.Commands / countedEvents.Count;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"per event: {perEvent:F2} round trips (commit not counted), {(double)counter.Statements / countedEvents.Count:F2} statements"));
            foreach (var (statement, count) in counter.ByStatement.OrderByDescending(x => x.Value))
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(double)count / countedEvents.Count,6:F2} × {statement}"));
        }

        var events = Logged(timed);
        var backendsBefore = await BackendCpuAsync();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        Assert.Equal((events.Count, 0), await importer.ImportAsync(events, CancellationToken.None));
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var backends = await BackendCpuAsync() - backendsBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{events.Count} events in {clock.Elapsed.TotalSeconds:F2} s ({events.Count / clock.Elapsed.TotalSeconds:F0} events/s); per event " +
            $"{cpu.TotalMicroseconds / events.Count:F0} µs CPU of this process, {backends * 1e6 / events.Count:F0} µs of PostgreSQL backends"));

        AnalyticsService.AssertViews(await analytics.ViewsAsync(), [.. warmUp, .. counted, .. timed]);
        Assert.True(perEvent <= MaxRoundTripsPerEvent, $"{perEvent:F2} round trips per event (at most {MaxRoundTripsPerEvent})");
    }

    /// <summary>The load test's mix, roughly: most orders complete with two lines, some are cancelled on the way.</summary>
    static List<OrderStory> Stories(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(i =>
        {
            var start = Day.AddMinutes(seed * 10_000 + i);
            OrderLine[] lines = [new($"SKU-{random.Next(20)}", 1 + random.Next(3), 10m), new($"SKU-{20 + random.Next(20)}", 1, 2.5m)];
            return random.Next(10) switch
            {
                0 => OrderStory.Cancelled(start, StoryEnd.CancelledAfterSubmit, CancellationReason.OutOfStock, lines),
                1 => OrderStory.Cancelled(start, StoryEnd.CancelledAfterPayment, CancellationReason.ShippingFailed, lines),
                _ => OrderStory.Completed(start, lines),
            };
        }).ToList();
    }

    static List<LoggedEvent> Logged(IEnumerable<OrderStory> stories) => stories.SelectMany(x => x.Events()).Select(x =>
    {
        var (type, version) = EventBodies.NameOf(x.Message.GetType());
        var (orderId, occurredAt) = EventBodies.Identify(x.Message);
        return new LoggedEvent
        {
            EventId = x.EventId,
            Type = type,
            SchemaVersion = version,
            OrderId = orderId,
            OccurredAt = occurredAt,
            Body = EventBodies.Write(x.Message),
        };
    }).ToList();

    /// <summary>CPU seconds so far of every PostgreSQL backend connected to the test's database but this one (/proc, Linux).</summary>
    async Task<double> BackendCpuAsync()
    {
        await using var connection = new NpgsqlConnection(analytics.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()", connection);
        var seconds = 0.0;
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var path = $"/proc/{reader.GetInt32(0)}/stat";
            if (!File.Exists(path))
                continue;
            var stat = await File.ReadAllTextAsync(path);
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime, fields 14 and 15 of stat(5), in USER_HZ (100 per second).
            seconds += (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / 100;
        }

        return seconds;
    }
}

/// <summary>
/// Counts the commands Npgsql sends (one round trip each) and the statements in them, from Npgsql's activities, for
/// the code that runs inside <see cref="Measure"/> only (its activities are children of the measuring one).
/// </summary>
sealed class DatabaseCommandCounter : IDisposable
{
    static readonly ActivitySource Source = new("Shop.Analytics.Tests.Measure");

    readonly ActivityListener _listener;
    readonly Lock _lock = new();
    ActivityTraceId _trace;

    public int Commands { get; private set; }
    public int Statements { get; private set; }
    public Dictionary<string, int> ByStatement { get; } = new(StringComparer.Ordinal);

    public DatabaseCommandCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" || source == Source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Count,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public IDisposable Measure()
    {
        var activity = Source.StartActivity("measure") ?? throw new InvalidOperationException("The measuring activity was not created.");
        _trace = activity.TraceId;
        return activity;
    }

    void Count(Activity activity)
    {
        if (activity.Source.Name != "Npgsql" || activity.TraceId != _trace)
            return;
        var text = activity.GetTagItem("db.query.text") as string ?? activity.GetTagItem("db.statement") as string ?? activity.DisplayName;
        var statements = text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        lock (_lock)
        {
            Commands++;
            Statements += statements.Length;
            foreach (var statement in statements)
            {
                var key = statement.Length > 110 ? statement[..110] : statement;
                ByStatement[key] = ByStatement.GetValueOrDefault(key) + 1;
            }
        }
    }

    public void Dispose() => _listener.Dispose();
}
