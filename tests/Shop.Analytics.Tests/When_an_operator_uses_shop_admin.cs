using System.CommandLine;
using Shop.Admin.Analytics;
using Shop.Admin.Cli;
using Shop.Contracts;
using Shop.Testing;

namespace Shop.Analytics.Tests;

/// <summary><c>shop-admin projections rebuild</c> and <c>events export | import</c> against a running Analytics.</summary>
public sealed class When_an_operator_uses_shop_admin(AnalyticsService analytics) : IClassFixture<AnalyticsService>
{
    static readonly DateTimeOffset Day = new(2026, 7, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Should_rebuild_export_and_import_through_the_analytics_endpoints()
    {
        var story = OrderStory.Completed(Day, new OrderLine("SKU-ADMIN", 2, 5m));
        await analytics.PublishAndWait(story.Events());
        var views = await analytics.ViewsAsync();
        var file = Path.Combine(Directory.CreateTempSubdirectory("shop-admin-events-").FullName, "events.jsonl");

        var rebuilt = await RunAsync("projections", "rebuild", "skus");
        var exported = await RunAsync("events", "export", "--from", Day.AddDays(-1).ToString("O"), "--to", Day.AddDays(1).ToString("O"), "-o", file);
        var imported = await RunAsync("events", "import", file);

        Assert.True(rebuilt.ExitCode == 0, rebuilt.Error);
        Assert.Contains("\"generation\"", rebuilt.Output);
        Assert.True(exported.ExitCode == 0, exported.Error);
        Assert.Equal(story.Events().Count, (await File.ReadAllLinesAsync(file)).Length);
        Assert.True(imported.ExitCode == 0, imported.Error);
        Assert.Contains($"\"duplicates\":{story.Events().Count}", imported.Output);
        Views.Same(views, await analytics.ViewsAsync());
    }

    [Fact]
    public async Task Should_refuse_a_rebuild_that_names_nothing()
    {
        var result = await RunAsync("projections", "rebuild");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("--all", result.Error);
    }

    [Fact]
    public async Task Should_say_so_when_the_token_is_not_an_operators()
    {
        var result = await RunAsAsync(TestTokens.Customer("ada"), "projections", "rebuild", "--all");

        Assert.Equal(ExitCodes.InvalidArguments, result.ExitCode);
        Assert.Contains("403", result.Error);
    }

    Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunAsAsync(TestTokens.Operator(), args);

    async Task<(int ExitCode, string Output, string Error)> RunAsAsync(string token, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand();
        foreach (var command in AnalyticsCommandLine.Commands(new AdminConsole(TextReader.Null, output, error)))
            root.Subcommands.Add(command);
        var exitCode = await root.Parse([.. args, "--analytics", analytics.Service.Address.ToString(), "--token", token])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
