namespace Shop.LoadTest;

/// <summary>Percentiles in milliseconds.</summary>
sealed record Latency(double P50, double P95, double P99, double Max, int Count)
{
    public static Latency Of(IEnumerable<double> milliseconds)
    {
        var sorted = milliseconds.Order().ToArray();
        if (sorted.Length == 0)
            return new Latency(0, 0, 0, 0, 0);
        double At(double quantile) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];
        return new Latency(At(0.50), At(0.95), At(0.99), sorted[^1], sorted.Length);
    }
}

/// <summary>Messages or commits per terminal order: as counted from the code, and as measured on the servers.</summary>
sealed record PerOrder(double Model, double? Measured, string MeasuredHow);

sealed record CeilingResult(
    double BrokerMessagesPerSecond,
    double DatabaseCommitsPerSecond,
    double ImpliedOrdersPerSecond,
    double FractionOfCeiling,
    string Basis,
    double NormalisedThroughput);

/// <summary>
/// CPU milliseconds per terminal order over the measured window, per process (services by pid file, postgres:&lt;database&gt;
/// for the backends of each database, postgres:shared for the WAL writer and checkpointer, rabbitmq for the beam) and
/// in total. RabbitMQ's node and PostgreSQL's writers are shared with whatever else runs on the machine.
/// </summary>
sealed record CpuPerOrder(double TotalMs, IReadOnlyDictionary<string, double> ByProcessMs, double TotalSeconds)
{
    public static CpuPerOrder Of(IReadOnlyDictionary<string, double> seconds, int orders)
    {
        double PerOrder(double value) => orders == 0 ? 0 : Math.Round(value * 1000 / orders, 2);
        return new CpuPerOrder(PerOrder(seconds.Values.Sum()),
            seconds.OrderByDescending(x => x.Value).ToDictionary(x => x.Key, x => PerOrder(x.Value)),
            Math.Round(seconds.Values.Sum(), 2));
    }
}

/// <summary>Statements per terminal order (pg_stat_statements), in all and by database; see <see cref="StatementCounter"/>.</summary>
sealed record StatementsPerOrder(double Total, IReadOnlyDictionary<string, double> ByDatabase)
{
    public static StatementsPerOrder? Of(IReadOnlyDictionary<string, long>? calls, int orders, string databasePrefix) =>
        calls is null || orders == 0
            ? null
            : new StatementsPerOrder(Math.Round((double)calls.Values.Sum() / orders, 2), calls.OrderByDescending(x => x.Value)
                .ToDictionary(x => x.Key.StartsWith(databasePrefix, StringComparison.Ordinal) ? x.Key[databasePrefix.Length..] : x.Key,
                    x => Math.Round((double)x.Value / orders, 2)));
}

sealed record ErrorCount(string Operation, string Kind, int Count, int Allowed);

sealed record QueueResult(string Name, long MaxDepth, long Published);

/// <summary>Everything a run found; written as result.json.</summary>
sealed record RunResult(
    string RunId,
    string Mode,
    string Load,
    string Mix,
    DateTimeOffset StartedAt,
    double SubmissionSeconds,
    int Submitted,
    int Accepted,
    int NotAccepted,
    int Completed,
    IReadOnlyDictionary<string, int> CancelledByReason,
    int StillOpen,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> OutcomeByIntent,
    double TerminalOrdersPerSecond,
    Latency LatencyMs,
    Latency ObservedLatencyMs,
    int StatusPolls,
    int TerminalEvents,
    IReadOnlyList<ErrorCount> HttpErrors,
    IReadOnlyList<QueueResult> Queues,
    PerOrder MessagesPerOrder,
    PerOrder CommitsPerOrder,
    IReadOnlyDictionary<string, long> CommitsByDatabase,
    StatementsPerOrder? StatementsPerOrder,
    CpuPerOrder CpuPerOrderMs,
    CeilingResult? Ceiling,
    IReadOnlyList<FaultWindow> Faults,
    IReadOnlyList<string> Failures)
{
    public bool Passed => Failures.Count == 0;
}
