using System.Globalization;
using System.Text.Json;

namespace Shop.Audit;

/// <summary>The report as a summary table and one line per finding, or as JSON.</summary>
public static class ReportWriter
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static async Task WriteTextAsync(AuditReport report, AuditOptions options, TextWriter output)
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        text.WriteLine($"Shop audit at {report.AuditedAt:u}{(report.Since is { } since ? $", orders since {since:u}" : "")}: " +
            $"{report.Orders} orders, read and checked in {report.Elapsed.TotalSeconds:0.0} s");

        text.WriteLine();
        text.WriteLine("Orders by outcome");
        foreach (var outcome in report.OrdersByOutcome)
            text.WriteLine($"  {outcome.State,-12} {outcome.Reason ?? "",-20} {outcome.Count,10}");

        text.WriteLine();
        text.WriteLine($"  {"Check",-32} {"checked",10} {"violations",10}  invariant");
        foreach (var check in report.Checks)
            text.WriteLine($"  {check.Name,-32} {check.Checked,10} {check.Violations,10}  {check.Description}");

        text.WriteLine();
        text.WriteLine($"Error queues in virtual host '{options.RabbitMqVirtualHost}'{(report.ErrorQueues.Count == 0 ? ": none" : "")}");
        foreach (var queue in report.ErrorQueues)
            text.WriteLine($"  {queue.Name,-40} {queue.Messages,10}");

        var findings = report.Findings.ToList();
        if (findings.Count > 0)
        {
            text.WriteLine();
            text.WriteLine($"Findings ({report.Violations} violations, {findings.Count - report.Violations} allowed)");
            foreach (var finding in findings)
                text.WriteLine($"  {(finding.Violation ? "VIOLATION" : "allowed  ")} {finding.Check,-32} {finding.Subject,-36} {finding.Detail}");
        }

        text.WriteLine();
        text.WriteLine(report.Violations == 0 ? "PASS: no violation" : $"FAIL: {report.Violations} violations");
        await output.WriteAsync(text.ToString());
    }

    public static async Task WriteJsonAsync(AuditReport report, int exitCode, string path, CancellationToken cancellationToken)
    {
        var document = new
        {
            report.AuditedAt,
            report.Since,
            ElapsedSeconds = Math.Round(report.Elapsed.TotalSeconds, 3),
            report.Orders,
            report.Violations,
            ExitCode = exitCode,
            report.OrdersByOutcome,
            Checks = report.Checks.Select(x => new { x.Name, x.Description, x.Checked, x.Violations }),
            report.ErrorQueues,
            Findings = report.Findings,
        };
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, document, Json, cancellationToken);
    }
}
