using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Npgsql;
using Shop.Bench.Raw;
using Spectre.Console;

namespace Shop.LoadTest;

/// <summary>One load run: ceiling, submission (fixed rate or closed loop), settling, counting, judging.</summary>
sealed class LoadRun(LoadOptions options, BenchSettings settings, RabbitManagement management) : IDisposable
{
    /// <summary>Each GET /orders/{id} reads the order and its saga: two single-statement transactions.</summary>
    const int TransactionsPerPoll = 2;

    /// <summary>POST /orders looks up the Idempotency-Key, then commits; a cancel reads the order and its state, then commits.</summary>
    const int ReadsPerSubmit = 1, ReadsPerCancel = 2;

    /// <summary>RabbitMQ's management statistics are refreshed every 5 s (collect_statistics_interval).</summary>
    static readonly TimeSpan StatisticsDelay = TimeSpan.FromSeconds(6);

    readonly string _runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];
    readonly HttpErrors _errors = new();
    readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = options.OrdersUrl,
        Timeout = TimeSpan.FromSeconds(30),
    };

    int _submitted;
    int _notAccepted;
    int _cancels;

    /// <summary>
    /// The out-of-stock SKU in the catalog with nothing on hand (an unpriced SKU would be refused with 400, not cancelled
    /// as out of stock), then a moment for its ProductUpdated to reach Orders' price list.
    /// </summary>
    async Task PrepareCatalogAsync(LoadTokens tokens)
    {
        using var inventory = new HttpClient { BaseAddress = options.InventoryUrl, Timeout = TimeSpan.FromSeconds(30) };
        inventory.DefaultRequestHeaders.Authorization = new("Bearer", await tokens.Operator());
        var product = await inventory.PutAsJsonAsync($"/products/{OrderRequests.OutOfStockSku}", new { name = "Never in stock", unitPrice = 7.25m });
        product.EnsureSuccessStatusCode();
        var stock = await inventory.PutAsJsonAsync($"/stock/{OrderRequests.OutOfStockSku}", new { onHand = 0 });
        stock.EnsureSuccessStatusCode();
        await WaitUntilOrdersPrices(OrderRequests.OutOfStockSku, TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Orders prices lines from its own copy of the catalog, filled by ProductUpdated: until the SKU's price has arrived
    /// there, an order for it would be refused (400 unknown SKU) rather than cancelled as out of stock.
    /// </summary>
    async Task WaitUntilOrdersPrices(string sku, TimeSpan timeout)
    {
        var connectionString = new NpgsqlConnectionStringBuilder(options.PostgresAdmin) { Database = options.DatabasePrefix + "orders" }.ConnectionString;
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await using (var connection = new NpgsqlConnection(connectionString))
            {
                await connection.OpenAsync();
                await using var command = new NpgsqlCommand("SELECT count(*) FROM \"Prices\" WHERE \"Sku\" = $1", connection) { Parameters = { new() { Value = sku } } };
                if ((long)(await command.ExecuteScalarAsync())! > 0)
                    return;
            }

            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Orders has no price for {sku} after {timeout.TotalSeconds:N0} s: is Orders consuming ProductUpdated?");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }

    public async Task<RunResult> Run()
    {
        var tokens = LoadTokens.From(options.IdentityUrl, options.ClientId, options.ClientSecretFile);
        await PrepareCatalogAsync(tokens);
        var orders = new OrdersClient(_http, _errors, tokens);
        var tracker = new OrderTracker(orders);
        var commits = new CommitCounter(options.PostgresAdmin, options.DatabasePrefix);
        var statements = new StatementCounter(options.PostgresAdmin, options.DatabasePrefix);

        CeilingRates? ceiling = null;
        if (options.Ceiling)
        {
            Console.WriteLine($"Measuring the raw ceiling ({options.CeilingMessages} messages / {options.CeilingMessages / 2} transactions)...");
            ceiling = await CeilingRates.Measure(settings, management, options.CeilingMessages);
            Console.WriteLine(Invariant($"  RabbitMQ persistent publish + confirms: {ceiling.BrokerMessagesPerSecond:N0} msg/s; PostgreSQL update + insert, commit: {ceiling.DatabaseCommitsPerSecond:N0} tx/s (4 connections)"));
        }

        await using var watcher = new TerminalEventWatcher(tracker);
        try
        {
            await watcher.Start(settings);
            tracker.Watched = true;
        }
        catch (Exception exception) when (exception is RabbitMQ.Client.Exceptions.BrokerUnreachableException or RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            Console.WriteLine($"Not watching OrderCompleted/OrderCancelled ({exception.Message}); polling only.");
        }

        var monitor = new QueueMonitor(management, options.RabbitVirtualHost);
        using var stopBackground = new CancellationTokenSource();
        var polling = tracker.PollUntil(stopBackground.Token);
        var monitoring = monitor.RunUntil(stopBackground.Token);
        var progress = Progress(tracker, monitor, stopBackground.Token);

        if (options.WarmupOrders > 0)
            await WarmUp(orders, tracker);

        // The measured window starts here: the ceiling probe and the warm-up are behind it.
        var publishedBefore = await management.Published(options.RabbitVirtualHost);
        var queuesBefore = (await management.Queues(options.RabbitVirtualHost)).ToDictionary(x => x.Name, x => x.Published);
        var commitsBefore = await commits.Sample();
        var statementsBefore = await statements.Sample();
        var cpu = new CpuSampler(options.RunDirectory, options.PostgresAdmin, options.DatabasePrefix);
        var cpuBefore = await cpu.Sample();
        var (pollsBefore, attemptsBefore) = (tracker.Polls, orders.SubmitAttempts);

        var startedAt = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Run {_runId}: {Describe()} against {options.OrdersUrl}, mix {options.Mix}");
        await (options.ClosedLoop ? ClosedLoop(orders, tracker, options.WarmupOrders, options.WarmupOrders + options.Orders) : FixedRate(orders, tracker));
        var submissionSeconds = clock.Elapsed.TotalSeconds;

        var faults = FaultWindow.Read(options.FaultsFile);
        var lastFaultEnd = faults.Count > 0 ? faults.Max(x => x.End) : (DateTimeOffset?)null;
        var settleDeadline = Max(lastFaultEnd is { } end ? end + options.SettleTimeout : DateTimeOffset.UtcNow + options.SettleTimeout,
            DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30));
        while (tracker.Open > 0 && DateTimeOffset.UtcNow < settleDeadline)
            await Task.Delay(200);
        // CPU up to the last order's end: the statistics delay below is idle time, not the orders' cost.
        var cpuAfter = await cpu.Sample();

        await Task.Delay(StatisticsDelay);
        await stopBackground.CancelAsync();
        await Task.WhenAll(polling, monitoring, progress);
        // No order may finish while the result is read from the tracker.
        await watcher.DisposeAsync();
        Console.WriteLine();

        var publishedAfter = await management.Published(options.RabbitVirtualHost);
        var queuesAfter = await management.Queues(options.RabbitVirtualHost);
        var commitsAfter = await commits.Sample();
        var statementsAfter = await statements.Sample();

        return Result(orders, tracker, watcher, monitor, startedAt, submissionSeconds, ceiling, faults,
            publishedAfter - publishedBefore, queuesBefore, queuesAfter, Delta(commitsBefore, commitsAfter), Delta(statementsBefore, statementsAfter),
            CpuSampler.Delta(cpuBefore, cpuAfter), tracker.Polls - pollsBefore, orders.SubmitAttempts - attemptsBefore);
    }

    /// <summary>
    /// Orders before the measured window, in a closed loop, until each has ended: every process JITs and tiers up its
    /// hot paths and fills its pools here, not on the clock. Their numbers come before the measured orders'.
    /// </summary>
    async Task WarmUp(OrdersClient orders, OrderTracker tracker)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"Warm-up: {options.WarmupOrders} orders, closed loop, {WarmupWorkers} workers (not measured)");
        await ClosedLoop(orders, tracker, 0, options.WarmupOrders, WarmupWorkers);
        var deadline = DateTimeOffset.UtcNow + options.SettleTimeout;
        while (tracker.Open > 0 && DateTimeOffset.UtcNow < deadline)
            await Task.Delay(200);
        Console.WriteLine(Invariant($"Warm-up done in {clock.Elapsed.TotalSeconds:F0} s; {tracker.Open} still open"));
        (_submitted, _notAccepted, _cancels) = (0, 0, 0);
    }

    int WarmupWorkers => options.Concurrency ?? 16;

    string Describe() => (options.ClosedLoop
        ? $"closed loop, {options.Concurrency} workers, {options.Orders} orders"
        : Invariant($"fixed rate {options.Rate}/s for {options.Duration.TotalSeconds:F0} s"))
        + (options.Warmup > TimeSpan.Zero ? Invariant($"; latency of orders submitted after a {options.Warmup.TotalSeconds:F0} s warm-up") : "");

    async Task FixedRate(OrdersClient orders, OrderTracker tracker)
    {
        var interval = TimeSpan.FromSeconds(1 / options.Rate!.Value);
        var clock = Stopwatch.StartNew();
        var submissions = new List<Task>();
        for (var number = 0; clock.Elapsed < options.Duration && !(options.StopFile is { } stop && File.Exists(stop)); number++)
        {
            var due = interval * number;
            if (due > clock.Elapsed)
                await Task.Delay(due - clock.Elapsed);
            var orderNumber = options.WarmupOrders + number;
            submissions.Add(Task.Run(() => SubmitOne(orders, tracker, orderNumber)));
        }

        await Task.WhenAll(submissions);
    }

    /// <summary>Orders numbered [first, end), each worker submitting the next once its last one ended.</summary>
    async Task ClosedLoop(OrdersClient orders, OrderTracker tracker, int first, int end, int? workers = null)
    {
        var next = first - 1;
        await Task.WhenAll(Enumerable.Range(0, workers ?? options.Concurrency!.Value).Select(_ => Task.Run(async () =>
        {
            int number;
            while ((number = Interlocked.Increment(ref next)) < end)
            {
                if (await SubmitOne(orders, tracker, number) is { } order)
                    await order.Terminal.WaitAsync(options.SettleTimeout).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        })));
    }

    async Task<TrackedOrder?> SubmitOne(OrdersClient orders, OrderTracker tracker, int number)
    {
        var intended = options.Mix.Pick(number);
        Interlocked.Increment(ref _submitted);
        var customerId = OrderRequests.CustomerOf(_runId, number);
        var accepted = await orders.Submit(OrderRequests.Build(_runId, number, intended), $"load-{_runId}-{number}", customerId);
        if (accepted is not { } order)
        {
            Interlocked.Increment(ref _notAccepted);
            return null;
        }

        var tracked = tracker.Add(order.OrderId, number, intended, order.SentAt);
        if (intended == Outcome.CustomerCancel)
        {
            Interlocked.Increment(ref _cancels);
            await orders.Cancel(order.OrderId, customerId);
        }

        return tracked;
    }

    /// <summary>
    /// Once a second: a live panel on a terminal (Spectre.Console), a plain line otherwise (CI logs, the fault suite's log).
    /// </summary>
    async Task Progress(OrderTracker tracker, QueueMonitor monitor, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        var lastTerminal = 0;
        string Sample()
        {
            var terminal = tracker.Terminal;
            var line = Invariant(
                $"[{clock.Elapsed.TotalSeconds,4:F0}s] submitted {_submitted,6} accepted {tracker.Orders.Count,6} terminal {terminal,6} (+{terminal - lastTerminal,4}/s) open {tracker.Open,5} | http errors {_errors.Count} | queues: {monitor.Deepest()}");
            lastTerminal = terminal;
            return line;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
            {
                while (await timer.WaitForNextTickAsync(stop))
                    Console.WriteLine(Sample());
                return;
            }

            await AnsiConsole.Live(new Text("")).AutoClear(false).StartAsync(async live =>
            {
                while (await timer.WaitForNextTickAsync(stop))
                {
                    live.UpdateTarget(new Panel(new Text(Sample())).Header($"run {_runId}").Expand());
                    live.Refresh();
                }
            });
        }
        catch (OperationCanceledException)
        {
        }
    }

    RunResult Result(OrdersClient orders, OrderTracker tracker, TerminalEventWatcher watcher, QueueMonitor monitor, DateTimeOffset startedAt,
        double submissionSeconds, CeilingRates? ceiling, IReadOnlyList<FaultWindow> faults, long? published,
        Dictionary<string, long> queuesBefore, IReadOnlyList<QueueSample> queuesAfter, Dictionary<string, long>? commitsByDatabase,
        Dictionary<string, long>? statementsByDatabase,
        Dictionary<string, double> cpuSeconds, int polls, int submitAttempts)
    {
        var all = tracker.Orders.Where(x => x.Number >= options.WarmupOrders).ToList();
        var terminal = all.Where(x => x.IsTerminal).ToList();
        var open = all.Where(x => !x.IsTerminal).ToList();
        var lastTerminal = terminal.Count > 0 ? terminal.Max(x => x.TerminalAt!.Value) : startedAt;
        var throughput = terminal.Count / Math.Max(0.001, (lastTerminal - startedAt).TotalSeconds);
        var measured = terminal.Where(x => x.SentAt >= startedAt + options.Warmup).ToList();

        var model = FlowCost.Average(options.Mix);
        double? measuredMessages = published is { } p && terminal.Count > 0 ? (double)p / terminal.Count : null;
        var ownReads = polls * TransactionsPerPoll + submitAttempts * ReadsPerSubmit + _cancels * ReadsPerCancel;
        double? measuredCommits = commitsByDatabase is { } c && terminal.Count > 0 ? (double)(c.Values.Sum() - ownReads) / terminal.Count : null;

        var errors = _errors.All;
        bool Allowed(HttpError error) => error.IsServerSide && faults.Any(f => f.AllowsErrors && f.Covers(error.SentAt, error.At));
        var failures = new List<string>();
        if (open.Count > 0)
            failures.Add($"{open.Count} accepted orders still open after settling (e.g. {string.Join(", ", open.Take(5).Select(x => x.Id))})");
        foreach (var group in errors.Where(x => !Allowed(x)).GroupBy(x => (x.Operation, x.Kind)))
            failures.Add($"{group.Count()} × HTTP {group.Key.Kind} on {group.Key.Operation} outside a fault window (first at {group.First().At:HH:mm:ss.fff})");
        if (_notAccepted > 0)
            failures.Add($"{_notAccepted} orders were never accepted");

        CeilingResult? ceilingResult = null;
        if (ceiling is not null)
        {
            // The database ceiling is write transactions (update + insert, commit); pg_stat_database also counts every
            // read, so the write transactions per order come from the code's flow, the messages from the broker.
            var messages = measuredMessages ?? model.Messages;
            var basis = measuredMessages is null
                ? "messages and write transactions per order counted from the code"
                : "measured messages per order; write transactions per order counted from the code";
            var implied = ceiling.OrdersPerSecond(messages, model.Commits);
            ceilingResult = new CeilingResult(ceiling.BrokerMessagesPerSecond, ceiling.DatabaseCommitsPerSecond, implied, throughput / implied, basis,
                throughput / ceiling.DatabaseCommitsPerSecond);
        }

        return new RunResult(
            _runId,
            options.ClosedLoop ? "closed loop" : "fixed rate",
            Describe(),
            options.Mix.ToString(),
            startedAt,
            submissionSeconds,
            _submitted,
            all.Count,
            _notAccepted,
            terminal.Count(x => x.Status == "Completed"),
            terminal.Where(x => x.Status == "Cancelled").GroupBy(x => x.CancellationReason ?? "?").ToDictionary(x => x.Key, x => x.Count()),
            open.Count,
            all.GroupBy(x => x.Intended.ToString()).ToDictionary(x => x.Key, x => (IReadOnlyDictionary<string, int>)x
                .GroupBy(o => o.Status is null ? "Open" : o.CancellationReason is { } reason ? $"Cancelled:{reason}" : o.Status)
                .ToDictionary(o => o.Key, o => o.Count())),
            throughput,
            Latency.Of(measured.Select(x => (x.TerminalAt!.Value - x.SentAt).TotalMilliseconds)),
            Latency.Of(measured.Select(x => (x.ObservedAt!.Value - x.SentAt).TotalMilliseconds)),
            polls,
            watcher.Received,
            [.. errors.GroupBy(x => (x.Operation, x.Kind)).Select(x => new ErrorCount(x.Key.Operation, x.Key.Kind, x.Count(), x.Count(Allowed)))],
            [.. queuesAfter.Select(x => new QueueResult(x.Name, monitor.MaxDepth.GetValueOrDefault(x.Name), x.Published - queuesBefore.GetValueOrDefault(x.Name)))
                .OrderBy(x => x.Name, StringComparer.Ordinal)],
            new PerOrder(model.Messages, measuredMessages, $"vhost '{options.RabbitVirtualHost}' message_stats.publish delta / terminal orders"),
            new PerOrder(model.Commits, measuredCommits,
                "pg_stat_database.xact_commit delta over every database of the stack (the five services, Analytics, Identity, the simulator), minus this tool's own reads, / terminal orders (includes inbox-check reads and delivery polls)"),
            commitsByDatabase ?? [],
            StatementsPerOrder.Of(statementsByDatabase, terminal.Count, options.DatabasePrefix),
            CpuPerOrder.Of(cpuSeconds, terminal.Count),
            ceilingResult,
            faults,
            failures);
    }

    static Dictionary<string, long>? Delta(Dictionary<string, long>? before, Dictionary<string, long>? after) =>
        before is null || after is null ? null : after.ToDictionary(x => x.Key, x => x.Value - before.GetValueOrDefault(x.Key));

    static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();
}
