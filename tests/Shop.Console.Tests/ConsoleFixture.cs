using System.Net;
using System.Net.Http.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Shop.EndToEnd.Tests;
using Shop.Testing;

namespace Shop.Console.Tests;

/// <summary>
/// The whole shop in-process (<see cref="ShopStack"/>) and the console beside it on a real Kestrel port (the one the test
/// Identity service registered its redirect URI for), reading the services' databases as a read-only role of its own laid
/// out by scripts/reader-database.sql, as the scripts do; and Debian's Chromium driven by Playwright.
/// </summary>
public sealed class ConsoleFixture() : ShopStack(new ShopStackOptions
{
    Name = "console",
    Customer = Customer,
}), IAsyncLifetime
{
    public const string Customer = "customer-console";
    public const string DeclinedToken = "tok_chargeDeclined";
    public const decimal UnitPrice = 12.50m;

    /// <summary>Where screenshots go when set (SHOP_CONSOLE_SCREENSHOTS=docs/images to refresh the README's).</summary>
    public static readonly string? ScreenshotDirectory = Environment.GetEnvironmentVariable("SHOP_CONSOLE_SCREENSHOTS");

    readonly string _readerRole = $"test_{Guid.NewGuid():N}_console";
    readonly string _readerPassword = Guid.NewGuid().ToString("N");
    InProcessService _console = null!;

    /// <summary>The console's own database (its audit of operator actions), migrated by its migration role as in production.</summary>
    public TestDatabase ConsoleDatabase { get; private set; } = null!;
    IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Turns Shipping's carrier off for a country: its CreateShipment commands go to <c>create-shipment_error</c>.</summary>
    public ShippingOutage ShippingOutage { get; } = new();
    public Uri ConsoleAddress => _console.Address;

    /// <summary>The console with an operator's bearer token.</summary>
    public HttpClient ConsoleAsOperator { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var connection = new NpgsqlConnection(TestServers.PostgresAdminConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand(
                $"CREATE ROLE \"{_readerRole}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '{_readerPassword}'", connection);
            await create.ExecuteNonQueryAsync();
        }

        var settings = new Dictionary<string, string?>
        {
            ["RabbitMq:VirtualHost"] = VirtualHost.Name,
            ["RabbitMq:Username"] = TestServers.RabbitMqUser,
            ["RabbitMq:Password"] = TestServers.RabbitMqPassword,
            ["Console:RabbitMqManagement"] = TestServers.RabbitMqManagement.ToString(),
            ["Console:ClientId"] = TestIdentityProvider.ConsoleClientId,
            ["Console:RefreshInterval"] = "00:00:02",
            // Re-drives as shop-admin does them: verified with the services' public keys, re-signed with the operator key,
            // and written into the order's timeline through Orders' API.
            ["RabbitMq:Host"] = TestServers.RabbitMqHost,
            ["Console:OperatorKey"] = TestSigningKeys.OperatorKeyFile,
            ["Console:PublicKeys"] = TestSigningKeys.PublicKeyDirectory,
            ["Console:OrdersApi"] = Orders.BaseAddress!.ToString(),
            ["Console:PaymentProvider"] = Provider.Address.ToString(),
            ["Console:PaymentProviderKey"] = TestPaymentProvider.ReadOnlyKey,
        };
        foreach (var (service, database) in Databases)
        {
            await GrantReaderAsync(database);
            settings[$"ConnectionStrings:{service}"] = new NpgsqlConnectionStringBuilder(database.RuntimeConnectionString)
            {
                Username = _readerRole,
                Password = _readerPassword,
            }.ConnectionString;
        }

        ConsoleDatabase = await TestDatabase.CreateAsync("shop_console_test");
        _console = await InProcessService.StartAsync("Console", ConsoleDatabase, virtualHost: null, ConsoleApp.Build, settings,
            address: new Uri($"http://127.0.0.1:{TestIdentityProvider.ConsolePort}/"));
        ConsoleAsOperator = _console.Http;

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            // Debian's Chromium: Playwright cannot download its own browser here (and never runs its install step).
            ExecutablePath = Environment.GetEnvironmentVariable("SHOP_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args = ["--disable-quic", "--disable-sync", "--disable-gpu"],
        });
        global::System.Console.WriteLine($"Playwright drives {Browser.BrowserType.Name} {Browser.Version}");
    }

    protected override void ConfigureService(string service, WebApplicationBuilder builder)
    {
        if (service == "Shipping")
            builder.Services.AddSingleton<IConfigureReceiveEndpoint>(ShippingOutage);
    }

    /// <summary>A fresh browser context (its own cookies) signed in as the operator grace through the Identity service's page.</summary>
    public async Task<IPage> SignedInPageAsync(string user = TestIdentityProvider.Operator)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(ConsoleAddress.ToString());
        // Not signed in: the console sent the browser to the identity provider's sign-in page.
        await page.Locator("input[name=username]").FillAsync(user);
        await page.Locator("input[name=password]").FillAsync(TestIdentityProvider.PasswordOf(user));
        await page.Locator("form button[type=submit], form input[type=submit]").First.ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(ConsoleAddress.ToString(), StringComparison.Ordinal));
        return page;
    }

    public async Task SetStockAsync(string sku, int onHand)
    {
        if ((await Inventory.GetAsync($"/products/{sku}")).StatusCode == HttpStatusCode.NotFound)
            await SetPriceAsync(sku, UnitPrice);
        var response = await Inventory.PutAsJsonAsync($"/stock/{sku}", new { onHand }, Json);
        response.EnsureSuccessStatusCode();
    }

    public static string NewSku() => $"CON-{Guid.NewGuid():N}"[..20].ToUpperInvariant();

    public async Task ScreenshotAsync(IPage page, string name)
    {
        if (ScreenshotDirectory is null)
            return;
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name), FullPage = true });
    }

    async Task GrantReaderAsync(TestDatabase database)
    {
        var sql = (await File.ReadAllTextAsync(Path.Combine(ServiceUsers.RepositoryRoot, "scripts", "reader-database.sql")))
            .Replace("__DATABASE__", $"\"{database.Name}\"").Replace("__MIGRATOR__", $"\"{database.MigratorRole}\"").Replace("__READER__", $"\"{_readerRole}\"");
        await database.ExecuteAsync(sql);
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_console is not null)
            await _console.DisposeAsync();
        if (ConsoleDatabase is not null)
            await ConsoleDatabase.DisposeAsync();
        await base.DisposeAsync();
        // The role owns nothing; its grants go with the databases (dropped above), then the role itself.
        await using var connection = new NpgsqlConnection(TestServers.PostgresAdminConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP ROLE IF EXISTS \"{_readerRole}\"", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ConsoleCollection : ICollectionFixture<ConsoleFixture>
{
    public const string Name = "Console";
}
