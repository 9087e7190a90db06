using Shop.Bench.Raw;

namespace Shop.LoadTest;

/// <summary>Parses the command line and runs the load (or the duplicate burst); the exit code says whether it passed.</summary>
static class LoadTestCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        LoadOptions options;
        try
        {
            options = LoadOptions.Parse(args);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"{exception.Message}\n\n{LoadOptions.Usage}");
            return 2;
        }

        var settings = new BenchSettings(options.PostgresAdmin, options.RabbitHost, options.RabbitUser, options.RabbitPassword,
            options.RabbitVirtualHost);
        using var management = new RabbitManagement(options.RabbitManagement, options.RabbitUser, options.RabbitPassword);
        switch (options.Command)
        {
            case "help":
                Console.WriteLine(LoadOptions.Usage);
                return 0;
            case "duplicates":
                return await DuplicateBurst.Run(settings, management, options.DuplicateCount) ? 0 : 1;
        }

        using var run = new LoadRun(options, settings, management);
        var result = await run.Run();
        await Reports.Write(result, options.OutDirectory);
        Console.WriteLine(Reports.Markdown(result));
        Console.WriteLine($"Written: {Path.Combine(options.OutDirectory, "result.json")}, {Path.Combine(options.OutDirectory, "summary.md")}");
        return result.Passed ? 0 : 1;
    }
}
