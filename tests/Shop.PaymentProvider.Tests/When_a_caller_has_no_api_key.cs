using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Shop.PaymentProvider.Apis;
using Shop.Testing;

namespace Shop.PaymentProvider.Tests;

/// <summary>
/// The provider answers its merchants only: every route under <c>/charges</c> needs <c>Authorization: Bearer sk_…</c> of a
/// configured merchant; without it, or with another key, 401 and nothing done.
/// </summary>
[Collection(ProviderCollection.Name)]
public sealed class When_a_caller_has_no_api_key(ProviderFixture fixture)
{
    public static TheoryData<string, string, string?> Routes => new()
    {
        { "POST", "/charges", """{"orderId":"0b0b0b0b-0000-4000-8000-000000000001","amount":5.00,"paymentToken":"tok_visa"}""" },
        { "POST", "/charges/voids", """{"orderId":"0b0b0b0b-0000-4000-8000-000000000001"}""" },
        { "POST", $"/charges/{Guid.NewGuid()}/refunds", """{"amount":5.00}""" },
        { "GET", "/charges?orderId=0b0b0b0b-0000-4000-8000-000000000001", null },
        { "GET", $"/charges/{Guid.NewGuid()}", null },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Should_answer_401_without_a_key(string method, string path, string? body)
    {
        using var http = new HttpClient { BaseAddress = fixture.Provider.Http.BaseAddress };

        await AssertRefused(await Send(http, method, path, body));
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Should_answer_401_with_a_wrong_key(string method, string path, string? body)
    {
        using var http = new HttpClient { BaseAddress = fixture.Provider.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", $"sk_test_{Guid.NewGuid():N}");

        await AssertRefused(await Send(http, method, path, body));
    }

    [Fact]
    public async Task Should_answer_401_to_the_key_sent_another_way()
    {
        using var http = new HttpClient { BaseAddress = fixture.Provider.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", TestPaymentProvider.ApiKey);

        await AssertRefused(await http.GetAsync("/charges?orderId=0b0b0b0b-0000-4000-8000-000000000001"));
    }

    [Fact]
    public async Task Should_store_nothing_for_a_refused_charge()
    {
        var orderId = Guid.NewGuid();
        using var http = new HttpClient { BaseAddress = fixture.Provider.Http.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/charges")
        {
            Content = JsonContent.Create(new { orderId, amount = 5.00m, paymentToken = "tok_visa" }),
        };
        request.Headers.Add(PaymentProviderApi.IdempotencyKeyHeader, ProviderHost.NewKey());

        await AssertRefused(await http.SendAsync(request));
        Assert.Empty(await fixture.Provider.ChargesByOrder(orderId));
    }

    [Fact]
    public async Task Should_answer_its_merchant()
    {
        var response = await fixture.Provider.Http.GetAsync($"/charges?orderId={Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    static async Task AssertRefused(HttpResponseMessage response)
    {
        await ProviderHost.ReadProblem(response, HttpStatusCode.Unauthorized, ProblemCodes.InvalidApiKey);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    static Task<HttpResponseMessage> Send(HttpClient http, string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add(PaymentProviderApi.IdempotencyKeyHeader, ProviderHost.NewKey());
        if (body is not null)
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        return http.SendAsync(request);
    }
}

/// <summary>Where the simulator listens and what it needs to start.</summary>
public sealed class When_the_simulator_starts
{
    [Fact]
    public void Should_listen_on_loopback_by_default()
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(SimulatorFolder())
            .AddJsonFile("appsettings.json", optional: false)
            .Build();

        var urls = configuration["Urls"]!.Split(';', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(urls);
        Assert.All(urls, url => Assert.True(IPAddress.TryParse(new Uri(url).Host, out var address) && IPAddress.IsLoopback(address),
            $"{url} is not a loopback address"));
    }

    [Fact]
    public async Task Should_not_start_without_a_merchant_key()
    {
        await using var database = await TestDatabase.CreateAsync("provider_nokey");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            InProcessService.StartAsync("PaymentProvider", database, virtualHost: null, PaymentProviderApp.Build));

        Assert.Contains("Provider:Merchants", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_not_start_with_a_key_that_is_not_a_secret_key()
    {
        await using var database = await TestDatabase.CreateAsync("provider_badkey");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            InProcessService.StartAsync("PaymentProvider", database, virtualHost: null, PaymentProviderApp.Build,
                new Dictionary<string, string?> { ["Provider:Merchants:shop:ApiKey"] = "pk_test_short" }));

        Assert.Contains("Provider:Merchants:shop", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Should_not_start_with_a_secret_key_configured_as_read_only()
    {
        await using var database = await TestDatabase.CreateAsync("provider_rokey");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() =>
            InProcessService.StartAsync("PaymentProvider", database, virtualHost: null, PaymentProviderApp.Build,
                new Dictionary<string, string?>
                {
                    ["Provider:Merchants:shop:ApiKey"] = TestPaymentProvider.ApiKey,
                    ["Provider:Merchants:console:ApiKey"] = TestPaymentProvider.ApiKey,
                    ["Provider:Merchants:console:ReadOnly"] = "true",
                }));

        Assert.Contains("Provider:Merchants:console", failure.ToString(), StringComparison.Ordinal);
    }

    static string SimulatorFolder()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
                return Path.Combine(directory.FullName, "Simulators", "PaymentProvider");
        }

        throw new InvalidOperationException("The repository root (Shop.sln) is not above the test's folder.");
    }
}
