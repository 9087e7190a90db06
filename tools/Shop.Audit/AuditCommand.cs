namespace Shop.Audit;

/// <summary>The command line: parse, audit, print, exit 0 (no violation), 1 (violations) or 2 (could not run).</summary>
public static class AuditCommand
{
    public const int Passed = 0;
    public const int Failed = 1;
    public const int CouldNotRun = 2;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        AuditOptions options;
        try
        {
            options = AuditOptions.Parse(args);
        }
        catch (UsageException exception)
        {
            await output.WriteLineAsync($"{exception.Message}{Environment.NewLine}{Environment.NewLine}{AuditOptions.Usage}");
            return CouldNotRun;
        }

        if (options.ShowUsage)
        {
            await output.WriteLineAsync(AuditOptions.Usage);
            return Passed;
        }

        AuditReport report;
        try
        {
            report = await Auditor.RunAsync(options, cancellationToken);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever stopped the reading (no server, no database, no virtual host, bad credentials): nothing was audited.
            await output.WriteLineAsync($"Could not run the audit: {Describe(exception)}");
            return CouldNotRun;
        }

        var exitCode = report.Violations == 0 ? Passed : Failed;
        await ReportWriter.WriteTextAsync(report, options, output);
        if (options.JsonPath is { } path)
            await ReportWriter.WriteJsonAsync(report, exitCode, path, cancellationToken);
        return exitCode;
    }

    static string Describe(Exception exception) =>
        string.Join(" ← ", Enumerable.Repeat(exception, 1).Concat(Inner(exception)).Select(x => $"{x.GetType().Name}: {x.Message.ReplaceLineEndings(" ")}"));

    static IEnumerable<Exception> Inner(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            yield return inner;
    }
}
