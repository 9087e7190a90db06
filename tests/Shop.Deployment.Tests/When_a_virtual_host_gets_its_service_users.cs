using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Shop.Deployment.Tests;

/// <summary>
/// <c>scripts/broker-users.sh</c> — what infra-up.sh, local-up.sh (its own SHOP_VHOST, the fault suite's) and compose's
/// broker-init run for every virtual host — also sets that host's retention of dead letters, so no vhost keeps a
/// message's body in an <c>_error</c> queue for ever. Run here against the local RabbitMQ on a virtual host of its own.
/// </summary>
public sealed class When_a_virtual_host_gets_its_service_users : IAsyncLifetime
{
    // LOCAL DEVELOPMENT DEFAULTS (scripts/access.sh): the operator of the broker on 127.0.0.1.
    const string Operator = "shop:shop";
    static readonly Uri Api = new("http://127.0.0.1:15672/api/");

    readonly HttpClient _http = new() { BaseAddress = Api, Timeout = TimeSpan.FromSeconds(30) };
    readonly string _vhost = $"shop-deployment-{Guid.NewGuid():N}";

    public async Task InitializeAsync()
    {
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Operator)));
        (await _http.PutAsync($"vhosts/{_vhost}", null)).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync()
    {
        await _http.DeleteAsync($"vhosts/{_vhost}");
        _http.Dispose();
    }

    [Theory]
    [InlineData(null, 14)]
    [InlineData("3", 3)]
    public async Task Should_make_dead_letters_expire_on_that_virtual_host(string? days, int expectedDays)
    {
        var environment = new Dictionary<string, string>
        {
            ["BROKER_API"] = Api.ToString().TrimEnd('/'),
            ["BROKER_OPERATOR"] = Operator,
            ["BROKER_VHOST"] = _vhost,
            ["BROKER_LOCAL_DEFAULTS"] = "1",
        };
        if (days is not null)
            environment["SHOP_ERROR_QUEUE_TTL_DAYS"] = days;

        var result = await Command.RunAsync("sh", ["scripts/broker-users.sh"], TimeSpan.FromMinutes(1), environment);

        Assert.True(result.ExitCode == 0, result.ToString());
        var response = await _http.GetAsync($"policies/{_vhost}/shop-error-retention");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var policy = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("_error$", policy.RootElement.GetProperty("pattern").GetString());
        Assert.Equal("queues", policy.RootElement.GetProperty("apply-to").GetString());
        Assert.Equal((long)TimeSpan.FromDays(expectedDays).TotalMilliseconds,
            policy.RootElement.GetProperty("definition").GetProperty("message-ttl").GetInt64());
    }
}
