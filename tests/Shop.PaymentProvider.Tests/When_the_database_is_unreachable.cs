using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.PaymentProvider.Data;
using Shop.Testing;

namespace Shop.PaymentProvider.Tests;

/// <summary>
/// The simulator built as its Program.cs builds it, on a PostgreSQL address where nothing listens: a request that needs the
/// database answers 503 with Retry-After (Shop.Data's AddShopDbContext registers that answer, the service defaults do
/// not), and its context, in a process without a bus, carries no outbox interceptor.
/// </summary>
public sealed class When_the_database_is_unreachable : IAsyncLifetime
{
    WebApplication _app = null!;
    HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "Shop.PaymentProvider" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // Port 1 on loopback: connections are refused at once, as while a database restarts.
            ["ConnectionStrings:PaymentProvider"] = "Host=127.0.0.1;Port=1;Database=none;Username=shop;Password=unused;Timeout=5",
            ["Database:CheckSchemaOnStartup"] = "false",
            ["Serilog:MinimumLevel:Default"] = "Error",
            ["Provider:Merchants:shop:ApiKey"] = TestPaymentProvider.ApiKey,
        });
        _app = PaymentProviderApp.Build(builder);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestPaymentProvider.ApiKey);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    [Fact]
    public async Task Should_answer_503_with_retry_after()
    {
        using var response = await _http.GetAsync($"/charges?orderId={Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(503, problem.GetProperty("status").GetInt32());
        Assert.Equal("Service temporarily unavailable", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Should_report_not_ready()
    {
        using var response = await _http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        // The simulator checks no tokens: nobody is an operator, so everyone reads the status only.
        var report = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
    }

    [Fact]
    public void Should_build_its_context_without_interceptors_or_the_bus()
    {
        using var scope = _app.Services.CreateScope();
        var context = scope.ServiceProvider.GetRequiredService<ProviderDbContext>();
        var interceptors = context.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors ?? [];

        Assert.Empty(interceptors);
        Assert.DoesNotContain(typeof(ProviderDbContext).Assembly.GetReferencedAssemblies(), x => x.Name == "Shop.Messaging");
    }
}
