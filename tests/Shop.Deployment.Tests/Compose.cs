using System.Text.RegularExpressions;

namespace Shop.Deployment.Tests;

/// <summary>A service as <c>docker-compose config</c> resolves it (anchors merged, build context absolute).</summary>
sealed record ComposeService(string Name, string? BuildContext, string? Dockerfile, IReadOnlyDictionary<string, string> BuildArgs,
    bool HasHealthcheckTest)
{
    public string? DockerfilePath => BuildContext is null ? null : Path.Combine(BuildContext, Dockerfile ?? "Dockerfile");
}

/// <summary>docker-compose.yml and .env, read raw and through the docker-compose CLI (which needs no Docker engine).</summary>
static partial class Compose
{
    public const string FileName = "docker-compose.yml";

    public static string Text => Repository.Read(FileName);

    /// <summary>The variables of .env (comments and blank lines skipped).</summary>
    public static IReadOnlyDictionary<string, string> EnvFile =>
        Repository.Read(".env").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('=', 2))
            .ToDictionary(pair => pair[0].Trim(), pair => pair.Length > 1 ? pair[1].Trim() : "");

    /// <summary>Runs <c>docker-compose -f docker-compose.yml ...</c> (or <c>docker compose</c> where only that exists).</summary>
    public static Task<CommandResult> RunAsync(params string[] arguments)
    {
        string[] compose = ["-f", FileName, .. arguments];
        if (Command.IsOnPath("docker-compose"))
            return Command.RunAsync("docker-compose", compose, TimeSpan.FromMinutes(1));
        if (Command.IsOnPath("docker"))
            return Command.RunAsync("docker", ["compose", .. compose], TimeSpan.FromMinutes(1));
        throw new InvalidOperationException("Neither docker-compose nor docker is installed (apt-get install -y docker-compose).");
    }

    /// <summary>The services of the resolved file, read from the block YAML that <c>docker-compose config</c> prints.</summary>
    public static async Task<IReadOnlyList<ComposeService>> ServicesAsync()
    {
        var result = await RunAsync("config");
        Assert.True(result.ExitCode == 0, result.ToString());

        var services = new List<ComposeService>();
        string? name = null, section = null, subsection = null, context = null, dockerfile = null;
        var buildArgs = new Dictionary<string, string>();
        var hasBuild = false;
        var hasHealthcheckTest = false;

        void Flush()
        {
            if (name is not null)
                services.Add(new ComposeService(name, hasBuild ? context ?? "." : null, dockerfile, buildArgs, hasHealthcheckTest));
            name = section = subsection = context = dockerfile = null;
            buildArgs = [];
            hasBuild = hasHealthcheckTest = false;
        }

        var inServices = false;
        foreach (var line in result.Output.Split('\n'))
        {
            if (TopLevelKey().Match(line) is { Success: true } top)
            {
                Flush();
                inServices = top.Groups[1].Value == "services";
            }
            else if (!inServices)
            {
                continue;
            }
            else if (ServiceName().Match(line) is { Success: true } service)
            {
                Flush();
                name = service.Groups[1].Value;
            }
            else if (ServiceKey().Match(line) is { Success: true } key)
            {
                section = key.Groups[1].Value;
                hasBuild |= section == "build";
            }
            else if (SubsectionEntry().Match(line) is { Success: true } argument && section == "build" && subsection == "args")
            {
                buildArgs[argument.Groups[1].Value] = argument.Groups[2].Value.Trim().Trim('\'', '"');
            }
            else if (SectionEntry().Match(line) is { Success: true } entry)
            {
                var (field, value) = (entry.Groups[1].Value, entry.Groups[2].Value.Trim());
                subsection = field;
                if (section == "build" && field == "context")
                    context = value;
                else if (section == "build" && field == "dockerfile")
                    dockerfile = value;
                else if (section == "healthcheck" && field == "test")
                    hasHealthcheckTest = true;
            }
        }

        Flush();
        return services;
    }

    [GeneratedRegex(@"^([A-Za-z][\w-]*):")]
    private static partial Regex TopLevelKey();

    [GeneratedRegex(@"^  ([\w.-]+):\s*$")]
    private static partial Regex ServiceName();

    [GeneratedRegex(@"^    ([\w-]+):")]
    private static partial Regex ServiceKey();

    [GeneratedRegex(@"^      ([\w-]+):(.*)$")]
    private static partial Regex SectionEntry();

    [GeneratedRegex(@"^        ([\w-]+):(.*)$")]
    private static partial Regex SubsectionEntry();
}
