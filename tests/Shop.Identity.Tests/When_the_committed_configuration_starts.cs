using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Data;
using Shop.ServiceDefaults.Identity;
using Shop.Testing;

namespace Shop.Identity.Tests;

/// <summary>
/// Identity/appsettings.json (its clients and users) with the files scripts/dev-keys.sh generates, as scripts/local-up.sh
/// and compose run it: every configured client and user finds its secret, and the local clients get their tokens.
/// </summary>
public sealed class When_the_committed_configuration_starts : IAsyncLifetime
{
    readonly DirectoryInfo _run = Directory.CreateTempSubdirectory("shop-identity-run-");
    TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("shop_identity_local");

    [Theory]
    [InlineData("shop-admin", ShopRoles.Operator)]
    [InlineData("shop-audit", ShopRoles.Operator)]
    [InlineData("shop-loadtest", ShopRoles.Operator)]
    [InlineData("shop-dev", ShopRoles.Operator)]
    public async Task Should_give_each_local_tool_its_token_with_the_generated_secret(string clientId, string role)
    {
        var keys = await DevKeysAsync();
        await using var app = await StartAsync(keys);
        using var http = new HttpClient { BaseAddress = Address(app) };

        var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = await File.ReadAllTextAsync(Path.Combine(keys, "clients", $"{clientId}.secret")),
        }));

        var body = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.True(response.IsSuccessStatusCode, body?.ToJsonString());
        var token = Tokens.Read(body!["access_token"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8088/", token.Issuer);
        Assert.Equal(role, token.GetClaim(ShopClaims.Role).Value);
    }

    /// <summary>scripts/dev-keys.sh into this test's own folder: the keys, client secrets and user passwords.</summary>
    async Task<string> DevKeysAsync()
    {
        var start = new ProcessStartInfo("bash", ["scripts/dev-keys.sh"])
        {
            WorkingDirectory = RepositoryRoot(),
            RedirectStandardError = true,
            Environment =
            {
                ["SHOP_KEYS_DIR"] = Path.Combine(_run.FullName, "keys"),
                ["SHOP_IDENTITY_DIR"] = Path.Combine(_run.FullName, "identity"),
            },
        };
        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, stderr);
        return Path.Combine(_run.FullName, "identity");
    }

    async Task<WebApplication> StartAsync(string keys)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Production",
            ApplicationName = "Shop.Identity",
            ContentRootPath = Path.Combine(RepositoryRoot(), "Identity"),
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["ConnectionStrings:Identity"] = _database.RuntimeConnectionString,
            ["ConnectionStrings:IdentityMigrations"] = _database.MigratorConnectionString,
            ["Identity:KeyDirectory"] = keys,
            ["Serilog:MinimumLevel:Default"] = "Warning",
        });
        var app = IdentityApp.Build(builder);
        await DatabaseMigrations.MigrateAsync(app.Services);
        await app.StartAsync();
        return app;
    }

    static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException("Shop.sln not found above the test binaries.");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _run.Delete(recursive: true);
    }
}
