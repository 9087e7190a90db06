using System.CommandLine;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Shop.Admin.Cli;

namespace Shop.Admin.Analytics;

/// <summary>
/// <c>projections rebuild &lt;name&gt; | --all</c>, <c>events export --from --to [--order]</c> and <c>events import &lt;file&gt;</c>:
/// thin calls of Analytics' operator endpoints (docs/analytics.md), which do the work. Against the local stack they need
/// no arguments: Analytics at <see cref="DefaultUrl"/>, an operator token from <c>scripts/dev-token.sh --operator</c>.
/// Registered in <see cref="AdminCommandLine"/> with <c>root.Subcommands.Add(...)</c> for each of <see cref="Commands"/>.
/// </summary>
public static class AnalyticsCommandLine
{
    public const string UrlVariable = "SHOP_ANALYTICS_URL";
    public const string TokenVariable = "SHOP_OPERATOR_TOKEN";
    public const string DefaultUrl = "http://127.0.0.1:8086";

    /// <summary>Analytics could not be reached, or refused the request.</summary>
    public const int AnalyticsUnavailable = 7;

    public static IReadOnlyList<Command> Commands(AdminConsole console)
    {
        var url = new Option<string>("--analytics") { Description = $"Analytics' base URL [env {UrlVariable}; default {DefaultUrl}]", Recursive = true };
        var token = new Option<string>("--token")
        {
            Description = $"An operator's bearer token [env {TokenVariable}; default: bash scripts/dev-token.sh --operator, the local stack's]",
            Recursive = true,
        };

        var name = new Argument<string?>("name") { Description = "The projection: revenue, skus, cancellations or funnel", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Every projection" };
        var rebuild = new Command("rebuild",
            "Recompute a projection from the event log into new tables while ingest goes on, then swap them in; prints the new generation");
        rebuild.Arguments.Add(name);
        rebuild.Options.Add(all);
        rebuild.Validators.Add(result =>
        {
            if ((result.GetValue(name) is null) == !result.GetValue(all))
                result.AddError("Name one projection or give --all.");
        });
        rebuild.SetAction((result, cancellationToken) => Guarded(console, async () =>
        {
            using var http = Client(result.GetValue(url), result.GetValue(token));
            var path = result.GetValue(all) ? "/analytics/projections/rebuild" : $"/analytics/projections/{Uri.EscapeDataString(result.GetValue(name)!)}/rebuild";
            return await WriteAnswerAsync(console, await http.PostAsync(path, null, cancellationToken), cancellationToken);
        }));
        var projections = new Command("projections", "Analytics' projections: rebuild them from the event log");
        projections.Subcommands.Add(rebuild);

        var from = new Option<DateTimeOffset>("--from") { Description = "Events that occurred at or after this time (ISO 8601 with an offset)", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "... and before this time", Required = true };
        var order = new Option<Guid?>("--order") { Description = "Only this order's events" };
        var output = new Option<string>("--output", "-o") { Description = "Write the JSON lines to this file instead of standard output" };
        var export = new Command("export", "Write events of Analytics' log as JSON lines (the format import reads)");
        export.Options.Add(from);
        export.Options.Add(to);
        export.Options.Add(order);
        export.Options.Add(output);
        export.SetAction((result, cancellationToken) => Guarded(console, async () =>
        {
            using var http = Client(result.GetValue(url), result.GetValue(token));
            var query = $"/analytics/events?from={Uri.EscapeDataString(result.GetValue(from).ToString("O"))}&to={Uri.EscapeDataString(result.GetValue(to).ToString("O"))}";
            if (result.GetValue(order) is { } id)
                query += $"&order={id}";
            using var response = await http.GetAsync(query, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
                return await WriteAnswerAsync(console, response, cancellationToken);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            if (result.GetValue(output) is { } file)
            {
                await using var target = File.Create(file);
                await body.CopyToAsync(target, cancellationToken);
            }
            else
            {
                using var reader = new StreamReader(body, Encoding.UTF8);
                await console.Out.WriteAsync(await reader.ReadToEndAsync(cancellationToken));
            }

            return ExitCodes.Success;
        }));

        var file = new Argument<string>("file") { Description = "A JSON lines file, as export writes it" };
        var import = new Command("import", "Feed a JSON lines file into Analytics' log and views (a backfill); events already logged are skipped");
        import.Arguments.Add(file);
        import.SetAction((result, cancellationToken) => Guarded(console, async () =>
        {
            using var http = Client(result.GetValue(url), result.GetValue(token));
            await using var stream = File.OpenRead(result.GetValue(file)!);
            using var content = new StreamContent(stream);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
            return await WriteAnswerAsync(console, await http.PostAsync("/analytics/events/import", content, cancellationToken), cancellationToken);
        }));
        var events = new Command("events", "Analytics' event log: export and import JSON lines (record and replay)");
        events.Subcommands.Add(export);
        events.Subcommands.Add(import);

        foreach (var command in new[] { projections, events })
        {
            command.Options.Add(url);
            command.Options.Add(token);
        }

        return [projections, events];
    }

    static HttpClient Client(string? url, string? token)
    {
        var http = new HttpClient
        {
            BaseAddress = new Uri(url ?? Environment.GetEnvironmentVariable(UrlVariable) ?? DefaultUrl),
            // A rebuild or an import of a large log takes a while; the service does the work either way.
            Timeout = TimeSpan.FromMinutes(30),
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            token ?? Environment.GetEnvironmentVariable(TokenVariable) ?? LocalOperatorToken());
        return http;
    }

    /// <summary>The local stack's operator token, minted by the script that knows its signing key.</summary>
    static string LocalOperatorToken()
    {
        if (!File.Exists(Path.Combine("scripts", "dev-token.sh")))
            throw new ArgumentException($"No operator token: pass --token, set {TokenVariable}, or run from the repository (scripts/dev-token.sh).");
        var start = new ProcessStartInfo("bash", ["scripts/dev-token.sh", "--operator"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var token = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && token.Length > 0
            ? token
            : throw new ArgumentException($"scripts/dev-token.sh --operator failed: {process.StandardError.ReadToEnd().Trim()}");
    }

    static async Task<int> WriteAnswerAsync(AdminConsole console, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            console.Out.WriteLine(body);
            return ExitCodes.Success;
        }

        console.Error.WriteLine($"error: Analytics answered {(int)response.StatusCode}: {body}");
        return (int)response.StatusCode is >= 400 and < 500 ? ExitCodes.InvalidArguments : AnalyticsUnavailable;
    }

    static async Task<int> Guarded(AdminConsole console, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (ArgumentException exception)
        {
            console.Error.WriteLine($"error: {exception.Message}");
            return ExitCodes.InvalidArguments;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
        {
            console.Error.WriteLine($"error: {exception.Message}");
            return AnalyticsUnavailable;
        }
    }
}
