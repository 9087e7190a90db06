using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shop.LoadTest;

/// <summary>A queue as the management API reports it: its depth now and how many messages were ever routed to it.</summary>
sealed record QueueSample(string Name, long Messages, long Published);

/// <summary>The few RabbitMQ management API calls the load test needs (http://127.0.0.1:15672 by default).</summary>
sealed class RabbitManagement(Uri baseAddress, string user, string password) : IDisposable
{
    readonly HttpClient _http = new()
    {
        BaseAddress = new Uri(baseAddress, "/api/"),
        Timeout = TimeSpan.FromSeconds(5),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))) },
    };

    public async Task CreateVirtualHost(string vhost)
    {
        (await _http.PutAsync($"vhosts/{Uri.EscapeDataString(vhost)}", null)).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync($"permissions/{Uri.EscapeDataString(vhost)}/{Uri.EscapeDataString(user)}",
            new { configure = ".*", write = ".*", read = ".*" })).EnsureSuccessStatusCode();
    }

    public async Task DeleteVirtualHost(string vhost) => await _http.DeleteAsync($"vhosts/{Uri.EscapeDataString(vhost)}");

    /// <summary>Messages published into the vhost's exchanges so far (null while the broker does not answer).</summary>
    public async Task<long?> Published(string vhost)
    {
        var root = await Get($"vhosts/{Uri.EscapeDataString(vhost)}");
        return root is { } r ? PublishedOf(r) : null;
    }

    /// <summary>The vhost's queues, or an empty list while the broker does not answer.</summary>
    public async Task<IReadOnlyList<QueueSample>> Queues(string vhost)
    {
        var root = await Get($"queues/{Uri.EscapeDataString(vhost)}?columns=name,messages,message_stats.publish");
        if (root is not { ValueKind: JsonValueKind.Array } queues)
            return [];
        return [.. queues.EnumerateArray().Select(q => new QueueSample(
            q.GetProperty("name").GetString()!,
            q.TryGetProperty("messages", out var messages) ? messages.GetInt64() : 0,
            PublishedOf(q)))];
    }

    /// <summary>message_stats.publish; the API leaves it out (or sends an empty array) until something was published.</summary>
    static long PublishedOf(JsonElement item) =>
        item.TryGetProperty("message_stats", out var stats) && stats.ValueKind == JsonValueKind.Object &&
        stats.TryGetProperty("publish", out var publish)
            ? publish.GetInt64()
            : 0;

    /// <summary>The names of the exchanges MassTransit declared in the vhost (not the built-in amq.* ones).</summary>
    public async Task<IReadOnlyList<string>> Exchanges(string vhost)
    {
        var root = await Get($"exchanges/{Uri.EscapeDataString(vhost)}?columns=name");
        return root is { ValueKind: JsonValueKind.Array } exchanges
            ? [.. exchanges.EnumerateArray().Select(x => x.GetProperty("name").GetString()!).Where(x => x.Length > 0 && !x.StartsWith("amq.", StringComparison.Ordinal))]
            : [];
    }

    async Task<JsonElement?> Get(string path)
    {
        try
        {
            using var response = await _http.GetAsync(path);
            if (!response.IsSuccessStatusCode)
                return null;
            using var document = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
            return document.RootElement.Clone();
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
