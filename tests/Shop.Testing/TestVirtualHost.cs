using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shop.Testing;

/// <summary>
/// A fresh RabbitMQ virtual host for one test (or fixture), deleted on dispose, so queues and messages of one test
/// never meet another's. Also reads queues through the management API.
/// </summary>
public sealed class TestVirtualHost : IAsyncDisposable
{
    /// <summary>The policy that makes messages in <c>*_error</c> queues expire (docs/operations.md#retention).</summary>
    public const string ErrorRetentionPolicy = "shop-error-retention";

    /// <summary>How long a dead letter is kept: the scripts' default, 14 days.</summary>
    public static readonly TimeSpan ErrorQueueTtl = TimeSpan.FromDays(14);

    static readonly HttpClient Http = CreateClient();

    TestVirtualHost(string name) => Name = name;

    public string Name { get; }

    public static async Task<TestVirtualHost> CreateAsync(string prefix = "shop-test")
    {
        var name = $"{prefix}-{Guid.NewGuid():N}";
        var created = await Http.PutAsync($"api/vhosts/{Uri.EscapeDataString(name)}", null);
        created.EnsureSuccessStatusCode();

        var permissions = JsonContent.Create(new { configure = ".*", write = ".*", read = ".*" });
        var granted = await Http.PutAsync($"api/permissions/{Uri.EscapeDataString(name)}/{Uri.EscapeDataString(TestServers.RabbitMqUser)}", permissions);
        granted.EnsureSuccessStatusCode();

        // Like every virtual host the scripts create (scripts/broker-users.sh): dead letters expire.
        var retention = JsonContent.Create(new Dictionary<string, object>
        {
            ["pattern"] = "_error$",
            ["apply-to"] = "queues",
            ["priority"] = 0,
            ["definition"] = new Dictionary<string, object> { ["message-ttl"] = (long)ErrorQueueTtl.TotalMilliseconds },
        });
        var policy = await Http.PutAsync($"api/policies/{Uri.EscapeDataString(name)}/{ErrorRetentionPolicy}", retention);
        policy.EnsureSuccessStatusCode();
        return new TestVirtualHost(name);
    }

    /// <summary>Messages ready in the queue (management API; its figures lag by up to a few seconds).</summary>
    public async Task<int> MessagesReadyAsync(string queue)
    {
        var response = await Http.GetAsync($"api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}");
        if (response.StatusCode == HttpStatusCode.NotFound)
            return 0;

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.TryGetProperty("messages_ready", out var ready) ? ready.GetInt32() : 0;
    }

    /// <summary>Takes up to <paramref name="count"/> messages from a queue (they are removed), as raw JSON bodies with their headers.</summary>
    public async Task<IReadOnlyList<QueuedMessage>> GetMessagesAsync(string queue, int count = 100)
    {
        var request = JsonContent.Create(new { count, ackmode = "ack_requeue_false", encoding = "auto" });
        var response = await Http.PostAsync($"api/queues/{Uri.EscapeDataString(Name)}/{Uri.EscapeDataString(queue)}/get", request);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return [];

        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateArray()
            .Select(x => new QueuedMessage(
                x.GetProperty("payload").GetString() ?? "",
                x.GetProperty("properties").TryGetProperty("headers", out var headers) ? headers.Clone() : default))
            .ToList();
    }

    public async Task<IReadOnlyList<string>> QueueNamesAsync()
    {
        var response = await Http.GetAsync($"api/queues/{Uri.EscapeDataString(Name)}");
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.EnumerateArray().Select(x => x.GetProperty("name").GetString()!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Http.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(Name)}");
        }
        catch (HttpRequestException)
        {
            // best effort
        }
    }

    static HttpClient CreateClient()
    {
        var client = new HttpClient { BaseAddress = TestServers.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestServers.RabbitMqUser}:{TestServers.RabbitMqPassword}"));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        return client;
    }
}

public sealed record QueuedMessage(string Payload, JsonElement Headers);
