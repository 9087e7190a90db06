using System.Diagnostics;
using Shop.Testing;

namespace Shop.Analytics.Tests;

/// <summary>The broker's deployment step as the scripts run it (scripts/broker-queues.sh and its .tsv files).</summary>
public static class BrokerDeployment
{
    /// <summary>Runs scripts/broker-queues.sh against the test's virtual host, as the deployment runs it.</summary>
    public static async Task DeclareQueuesAsync(TestVirtualHost virtualHost)
    {
        var start = new ProcessStartInfo("sh", [Path.Combine(ServiceUsers.RepositoryRoot, "scripts", "broker-queues.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["BROKER_API"] = new Uri(TestServers.RabbitMqManagement, "api").ToString(),
                ["BROKER_OPERATOR"] = $"{TestServers.RabbitMqUser}:{TestServers.RabbitMqPassword}",
                ["BROKER_VHOST"] = virtualHost.Name,
            },
        };
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, output);
    }

    /// <summary>The lines of a scripts/*.tsv file that are not comments, split at tabs.</summary>
    public static IReadOnlyList<string[]> Lines(string file) =>
        File.ReadAllLines(Path.Combine(ServiceUsers.RepositoryRoot, "scripts", file))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .ToList();
}
