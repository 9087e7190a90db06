using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Shop.LoadTest;

/// <summary>result.json and summary.md in the output directory.</summary>
static class Reports
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web) { WriteIndented = true };

    public static async Task Write(RunResult result, string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "result.json"), JsonSerializer.Serialize(result, Json));
        await File.WriteAllTextAsync(Path.Combine(directory, "summary.md"), Markdown(result));
    }

    public static string Markdown(RunResult r)
    {
        var md = new StringBuilder();
        void Line(FormattableString text) => md.AppendLine(text.ToString(CultureInfo.InvariantCulture));

        Line($"# Load test {r.RunId}: {(r.Passed ? "PASSED" : "FAILED")}");
        Line($"");
        Line($"{r.Load}, mix {r.Mix}; started {r.StartedAt:u}, submitting for {r.SubmissionSeconds:F0} s.");
        Line($"");
        Line($"| | |");
        Line($"|---|---|");
        Line($"| submitted / accepted / not accepted | {r.Submitted} / {r.Accepted} / {r.NotAccepted} |");
        Line($"| completed | {r.Completed} |");
        Line($"| cancelled | {r.CancelledByReason.Values.Sum()} ({string.Join(", ", r.CancelledByReason.Select(x => $"{x.Key} {x.Value}"))}) |");
        Line($"| still open | {r.StillOpen} |");
        Line($"| terminal orders/s | {r.TerminalOrdersPerSecond:F1} |");
        Line($"| latency submit → terminal (saga time) p50 / p95 / p99 / max | {r.LatencyMs.P50:F0} / {r.LatencyMs.P95:F0} / {r.LatencyMs.P99:F0} / {r.LatencyMs.Max:F0} ms |");
        Line($"| latency submit → observed here p50 / p99 | {r.ObservedLatencyMs.P50:F0} / {r.ObservedLatencyMs.P99:F0} ms |");
        Line($"| messages per order (code / measured) | {r.MessagesPerOrder.Model:F1} / {Format(r.MessagesPerOrder.Measured)} |");
        Line($"| commits per order (code / measured) | {r.CommitsPerOrder.Model:F1} / {Format(r.CommitsPerOrder.Measured)} |");
        if (r.StatementsPerOrder is { } s)
            Line($"| statements per order (pg_stat_statements, BEGIN/COMMIT included) | {s.Total:F1}: {string.Join(", ", s.ByDatabase.Select(x => $"{x.Key} {x.Value:F1}"))} |");
        else
            Line($"| statements per order | not counted (pg_stat_statements not loaded: scripts/infra-up.sh) |");
        if (r.Ceiling is { } c)
        {
            Line($"| raw ceiling: RabbitMQ publish+confirm / PostgreSQL update+insert commit | {c.BrokerMessagesPerSecond:N0} msg/s / {c.DatabaseCommitsPerSecond:N0} tx/s |");
            Line($"| orders/s that ceiling implies ({c.Basis}) | {c.ImpliedOrdersPerSecond:F0} |");
            Line($"| throughput as a fraction of it | {c.FractionOfCeiling:P0} |");
            Line($"| normalised throughput (terminal orders/s ÷ raw PostgreSQL commits/s) | {c.NormalisedThroughput:F4} |");
        }

        Line($"| CPU per order, every process of the shop (this tool excluded) | {r.CpuPerOrderMs.TotalMs:F1} ms ({r.CpuPerOrderMs.TotalSeconds:F0} CPU s) |");
        Line($"| by process | {string.Join(", ", r.CpuPerOrderMs.ByProcessMs.Select(x => $"{x.Key} {x.Value:F1}"))} |");

        Line($"");
        Line($"HTTP errors: {(r.HttpErrors.Count == 0 ? "none" : string.Join(", ", r.HttpErrors.Select(x => $"{x.Operation} {x.Kind} ×{x.Count} ({x.Allowed} inside a fault window)")))}.");
        var busy = r.Queues.Where(x => x.MaxDepth > 0).OrderByDescending(x => x.MaxDepth).Take(8).ToList();
        Line($"Deepest queues (max ready+unacked seen): {(busy.Count == 0 ? "none backed up" : string.Join(", ", busy.Select(x => $"{x.Name} {x.MaxDepth}")))}.");
        if (r.Faults.Count > 0)
            Line($"Faults: {string.Join(", ", r.Faults.Select(x => $"{x.Name} ({(x.End - x.Start).TotalSeconds:F0} s)"))}.");
        foreach (var failure in r.Failures)
            Line($"- FAILURE: {failure}");
        return md.ToString();
    }

    static string Format(double? value) => value is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) : "n/a";
}
