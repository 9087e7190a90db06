using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Shop.Cluster.Tests;

/// <summary>
/// The cluster scripts/rabbitmq-cluster.sh runs on this machine (scripts/test.sh starts it before the tests): the proxy
/// on 127.0.0.1:5680 (management 15680), node i on 568i (management 1568i). Each test works in a virtual host of its
/// own, deleted at the end. Overrides: SHOP_TEST_CLUSTER_AMQP_PORT, SHOP_TEST_CLUSTER_MANAGEMENT (local defaults only).
/// </summary>
sealed class Cluster : IAsyncDisposable
{
    public const string Host = "127.0.0.1";
    public const string User = "shop";
    public const string Password = "shop";

    static readonly int ProxyPort = int.Parse(Environment.GetEnvironmentVariable("SHOP_TEST_CLUSTER_AMQP_PORT") ?? "5680");
    static readonly Uri Management = new(Environment.GetEnvironmentVariable("SHOP_TEST_CLUSTER_MANAGEMENT") ?? "http://127.0.0.1:15680/");

    readonly HttpClient _http;

    Cluster(string virtualHost, HttpClient http)
    {
        VirtualHost = virtualHost;
        _http = http;
    }

    public string VirtualHost { get; }

    public static ushort AmqpPort => (ushort)ProxyPort;

    public static async Task<Cluster> CreateVirtualHostAsync(string prefix)
    {
        var http = new HttpClient { BaseAddress = Management, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
        var name = $"{prefix}-{Guid.NewGuid():N}";
        (await http.PutAsync($"api/vhosts/{Uri.EscapeDataString(name)}", null)).EnsureSuccessStatusCode();
        (await http.PutAsync($"api/permissions/{Uri.EscapeDataString(name)}/{User}",
            JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" }))).EnsureSuccessStatusCode();
        return new Cluster(name, http);
    }

    public ConnectionFactory Factory() => new() { HostName = Host, Port = ProxyPort, UserName = User, Password = Password, VirtualHost = VirtualHost };

    /// <summary>A queue's fields from the management API (type, leader, messages), or null while it does not exist.</summary>
    public async Task<JsonElement?> QueueAsync(string queue)
    {
        var response = await _http.GetAsync($"api/queues/{Uri.EscapeDataString(VirtualHost)}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return null;
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    public async Task<IReadOnlyList<JsonElement>> QueuesAsync()
    {
        var response = await _http.GetAsync($"api/queues/{Uri.EscapeDataString(VirtualHost)}");
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(x => x.Clone()).ToList();
    }

    /// <summary>scripts/broker-policies.sh on this virtual host, for the endpoint queues of the given permissions file.</summary>
    public Task SetPoliciesAsync(string permissionsFile, int deliveryLimit) =>
        Script.RunAsync("sh", ["scripts/broker-policies.sh"], new Dictionary<string, string>
        {
            ["BROKER_API"] = new Uri(Management, "api").ToString(),
            ["BROKER_OPERATOR"] = $"{User}:{Password}",
            ["BROKER_VHOST"] = VirtualHost,
            ["BROKER_PERMISSIONS"] = permissionsFile,
            ["SHOP_DELIVERY_LIMIT"] = deliveryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    public static Task StopNodeAsync(int node) => Script.RunAsync("bash", ["scripts/rabbitmq-cluster.sh", "stop-node", $"{node}"]);

    public static Task StartNodeAsync(int node) => Script.RunAsync("bash", ["scripts/rabbitmq-cluster.sh", "start-node", $"{node}"]);

    /// <summary>1 for shop-r1@localhost.</summary>
    public static int NodeNumber(string nodeName) => int.Parse(nodeName["shop-r".Length..nodeName.IndexOf('@')], System.Globalization.CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(VirtualHost)}");
        }
        catch (HttpRequestException)
        {
            // best effort: a test vhost left behind holds nothing another test reads
        }

        _http.Dispose();
    }
}

/// <summary>Runs one of the repository's scripts from its root and fails with its output when it fails.</summary>
static class Script
{
    static readonly string Root = FindRoot();

    public static async Task RunAsync(string shell, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(shell) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{shell} {string.Join(' ', arguments)} exited with {process.ExitCode}: {await output}{await error}");
    }

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Shop.sln above {AppContext.BaseDirectory}.");
    }
}
