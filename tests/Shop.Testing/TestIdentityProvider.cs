using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;
using Shop.Data;
using Shop.Identity;
using Shop.Identity.Hosting;
using Shop.ServiceDefaults.Identity;

namespace Shop.Testing;

/// <summary>
/// The one Identity service of a test process (started on first use through <c>IdentityApp.Build</c>, on a real
/// loopback port with its own database and keys, stopped at process exit): every <see cref="InProcessService"/> checks
/// tokens through <see cref="Authority"/> as production does, and every token of <see cref="TestTokens"/> comes from it.
/// </summary>
/// <remarks>
/// Its clients: <see cref="ClientId"/> (operator by client credentials, and customer tokens for any id through the
/// customer grant), <see cref="NoRoleClientId"/> (a valid token with no Shop role) and <see cref="WebClientId"/> (code +
/// PKCE for people). Its users: <c>ada</c> (customer) and <c>grace</c> (operator), password <see cref="PasswordOf"/>.
/// </remarks>
public static class TestIdentityProvider
{
    public const string ClientId = "shop-tests";
    public const string NoRoleClientId = "shop-tests-norole";
    public const string WebClientId = "shop-tests-web";
    public const string WebRedirectUri = "http://127.0.0.1/signed-in";

    /// <summary>The operator console's client (code + PKCE); its redirect URI names <see cref="ConsolePort"/> exactly.</summary>
    public const string ConsoleClientId = "shop-tests-console";
    public const string Customer = "ada";
    public const string Operator = "grace";

    static readonly string Secret = NewSecret();
    static readonly string NoRoleSecret = NewSecret();
    static readonly Dictionary<string, string> Passwords = new() { [Customer] = NewSecret(), [Operator] = NewSecret() };
    static readonly Lazy<Task<Running>> Started = new(StartAsync);

    /// <summary>The issuer, e.g. <c>http://127.0.0.1:41234/</c> (starts the provider if it is not running yet).</summary>
    public static Uri Authority => Run().Issuer;

    /// <summary>The key the provider signs with: tests mint tokens with it that it would never issue (wrong audience, …).</summary>
    public static ECDsaSecurityKey SigningKey => Run().SigningKey;

    public static string PasswordOf(string user) => Passwords[user];

    /// <summary>A loopback port kept for the console's browser tests: redirect URIs compare exactly, port included.</summary>
    public static int ConsolePort => Run().ConsolePort;

    /// <summary>The provider's own database (OpenIddict's tables, <c>Users</c>).</summary>
    public static TestDatabase Database => Run().Database;

    /// <summary>What every in-process service gets: check tokens through this provider, over plain HTTP on loopback.</summary>
    public static async Task<IReadOnlyDictionary<string, string?>> ServiceSettingsAsync()
    {
        var running = await Started.Value;
        return new Dictionary<string, string?>
        {
            [$"{AuthOptions.Section}:Authority"] = running.Issuer.ToString(),
            [$"{AuthOptions.Section}:RequireHttpsMetadata"] = "false",
        };
    }

    public static async Task<Uri> AuthorityAsync() => (await Started.Value).Issuer;

    /// <summary>A client-credentials token of <paramref name="clientId"/> (an operator's for <see cref="ClientId"/>).</summary>
    public static Task<TokenResponse> ClientCredentialsAsync(string clientId = ClientId) =>
        RequestAsync(clientId, new() { ["grant_type"] = "client_credentials" });

    /// <summary>A customer's token for <paramref name="customerId"/>, through the customer grant.</summary>
    public static Task<TokenResponse> CustomerTokenAsync(string customerId) =>
        RequestAsync(ClientId, new() { ["grant_type"] = CustomerTokenGrant.Type, [CustomerTokenGrant.CustomerIdParameter] = customerId });

    /// <summary>Any token request of a test client, as sent (the answer's errors are the caller's to check).</summary>
    public static async Task<HttpResponseMessage> PostTokenRequestAsync(Dictionary<string, string> form)
    {
        var running = await Started.Value;
        return await running.Http.PostAsync("connect/token", new FormUrlEncodedContent(form));
    }

    public static string SecretOf(string clientId) => clientId == NoRoleClientId ? NoRoleSecret : Secret;

    static async Task<TokenResponse> RequestAsync(string clientId, Dictionary<string, string> form)
    {
        form["client_id"] = clientId;
        form["client_secret"] = SecretOf(clientId);
        using var response = await PostTokenRequestAsync(form);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The test identity provider refused a token ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<TokenResponse>() ?? throw new InvalidOperationException("An empty token response.");
    }

    static Running Run() => Task.Run(() => Started.Value).GetAwaiter().GetResult();

    static async Task<Running> StartAsync()
    {
        var port = FreeLoopbackPort();
        var consolePort = FreeLoopbackPort();
        var issuer = new Uri($"http://127.0.0.1:{port}/");
        var database = await TestDatabase.CreateAsync("shop_identity");
        var keys = Directory.CreateTempSubdirectory("shop-identity-");
        var signing = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        WriteSecretFile(Path.Combine(keys.FullName, IdentityKeys.SigningFile), signing.ExportPkcs8PrivateKeyPem());
        WriteSecretFile(Path.Combine(keys.FullName, IdentityKeys.EncryptionFile), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

        // Its own content root (an empty folder): only these settings, not the local clients of Identity/appsettings.json.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = "Testing",
            ApplicationName = "Shop.Identity",
            ContentRootPath = keys.FullName,
        });
        builder.WebHost.UseUrls(issuer.ToString());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            // As production runs it: migrated by the database's migration role, then served by its runtime role.
            ["ConnectionStrings:Identity"] = database.RuntimeConnectionString,
            [$"ConnectionStrings:{DatabaseMigrations.ConnectionNameOf("Identity")}"] = database.MigratorConnectionString,
            ["Database:Provider"] = "Postgres",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Identity:Issuer"] = issuer.ToString(),
            ["Identity:KeyDirectory"] = keys.FullName,
            // A test run is longer than a production token's life; tokens are cached per subject (TestTokens).
            ["Identity:AccessTokenLifetime"] = "04:00:00",
            ["Identity:SignInAttemptsPerMinute"] = "1000",
            // The pruner runs often enough for a test to see it (rows of expired or used tokens older than this go).
            ["Identity:PruneInterval"] = "00:00:05",
            ["Identity:Clients:0:ClientId"] = ClientId,
            ["Identity:Clients:0:Secret"] = Secret,
            ["Identity:Clients:0:Role"] = ShopRoles.Operator,
            ["Identity:Clients:0:CustomerTokens"] = "true",
            ["Identity:Clients:1:ClientId"] = NoRoleClientId,
            ["Identity:Clients:1:Secret"] = NoRoleSecret,
            ["Identity:Clients:2:ClientId"] = WebClientId,
            ["Identity:Clients:2:RedirectUris:0"] = WebRedirectUri,
            ["Identity:Clients:3:ClientId"] = ConsoleClientId,
            ["Identity:Clients:3:RedirectUris:0"] = $"http://127.0.0.1:{consolePort}/signin-oidc",
            ["Identity:Clients:3:PostLogoutRedirectUris:0"] = $"http://127.0.0.1:{consolePort}/signout-callback-oidc",
            ["Identity:Users:0:Name"] = Customer,
            ["Identity:Users:0:Role"] = ShopRoles.Customer,
            ["Identity:Users:0:Password"] = Passwords[Customer],
            ["Identity:Users:1:Name"] = Operator,
            ["Identity:Users:1:Role"] = ShopRoles.Operator,
            ["Identity:Users:1:Password"] = Passwords[Operator],
        });

        var app = IdentityApp.Build(builder);
        await DatabaseMigrations.MigrateAsync(app.Services);
        await app.StartAsync();
        var running = new Running(app, database, keys, issuer,
            new ECDsaSecurityKey(signing) { KeyId = IdentityKeys.KeyIdOf(signing) }, new HttpClient { BaseAddress = issuer, Timeout = TimeSpan.FromSeconds(30) },
            consolePort);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => running.Stop();
        return running;
    }

    static void WriteSecretFile(string path, string content)
    {
        File.WriteAllText(path, content);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24));

    sealed record Running(WebApplication App, TestDatabase Database, DirectoryInfo Keys, Uri Issuer, ECDsaSecurityKey SigningKey, HttpClient Http,
        int ConsolePort)
    {
        /// <summary>At process exit: best effort, a leftover test database or temp folder does no harm.</summary>
        public void Stop()
        {
            try
            {
                Http.Dispose();
                App.StopAsync().WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
                Database.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
                Keys.Delete(recursive: true);
            }
            catch (Exception)
            {
                // the process is ending anyway
            }
        }
    }
}

/// <summary>The token endpoint's answer.</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("token_type")] string TokenType);
