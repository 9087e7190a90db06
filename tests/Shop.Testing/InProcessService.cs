using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Shop.Data;
using Shop.Messaging.Signing;

namespace Shop.Testing;

/// <summary>
/// Runs one Shop service in the test process through the entry point its Program.cs calls (<c>OrdersApp.Build</c>,
/// ...: service defaults, the service's wiring, its API), on Kestrel at a free loopback port, against a real PostgreSQL
/// database (migrated as its migration role, then used as its runtime role: <see cref="TestDatabase"/>) and RabbitMQ
/// virtual host. It checks bearer tokens through the test process's Identity service
/// (<see cref="TestIdentityProvider"/>: discovery and JWKS, as in production); <see cref="Http"/> sends an operator's
/// token from it, <see cref="ClientFor"/> any other (<c>null</c>: none).
/// </summary>
/// <remarks>
/// Not <c>WebApplicationFactory&lt;Program&gt;</c> (eShop's way): the six top-level <c>Program</c> classes are all
/// <c>global::Program</c>, which a test assembly referencing several services cannot tell apart; one builder method per
/// service gives the same guarantee. A test's own registrations go in <c>configureBuilder</c>, which runs first: a
/// service registers what a test may replace with <c>TryAdd</c> (Notifications' sender).
/// </remarks>
/// <example><code>
/// await using var payments = await InProcessService.StartAsync("Payments", database, vhost, PaymentsApp.Build);
/// var response = await payments.Http.GetAsync($"/payments?orderId={orderId}");
/// </code></example>
public sealed class InProcessService : IAsyncDisposable
{
    readonly List<HttpClient> _clients = [];

    InProcessService(WebApplication app, Uri address, string operatorToken)
    {
        App = app;
        Address = address;
        Http = ClientFor(operatorToken);
    }

    public WebApplication App { get; }
    public Uri Address { get; }

    /// <summary>A client with an operator's token (the simulator, which checks none, ignores it).</summary>
    public HttpClient Http { get; }

    /// <summary>A client of this service sending <paramref name="token"/> (e.g. <c>TestTokens.Customer("ada")</c>), or none.</summary>
    public HttpClient ClientFor(string? token)
    {
        var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null)
            client.WithToken(token);
        _clients.Add(client);
        return client;
    }

    public IServiceProvider Services => App.Services;

    /// <param name="name">The service's connection-string name (<c>ConnectionStrings:{name}</c>), e.g. "Payments".</param>
    /// <param name="virtualHost">The service's RabbitMQ virtual host; null for one that has no bus (the payment-provider simulator).</param>
    /// <param name="build">The service's entry point, e.g. <c>OrdersApp.Build</c>: builds the app from the builder given.</param>
    /// <param name="settings">Extra configuration, e.g. <c>["Orders:PaymentTimeout"] = "00:00:02"</c>.</param>
    /// <param name="configureBuilder">Runs on the builder before <paramref name="build"/>: a test's own services.</param>
    /// <param name="address">Where to listen; a free loopback port when null (a restart passes the first one's).</param>
    /// <param name="environment">The host environment; anything but Development runs as production does.</param>
    /// <param name="migrate">Migrate the database as its migration role first, as the scripts do (false: as it is).</param>
    public static async Task<InProcessService> StartAsync(string name, TestDatabase database, TestVirtualHost? virtualHost,
        Func<WebApplicationBuilder, WebApplication> build, IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configureBuilder = null, Uri? address = null, string environment = "Testing", bool migrate = true)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            EnvironmentName = environment,
            ApplicationName = $"Shop.{name}",
            ContentRootPath = ServiceFolder(name),
        });
        builder.WebHost.UseUrls(address?.ToString() ?? "http://127.0.0.1:0");

        var configuration = new Dictionary<string, string?>
        {
            // As production runs it: migrated by the database's migration role, then served by its runtime role.
            [$"ConnectionStrings:{name}"] = database.RuntimeConnectionString,
            [$"ConnectionStrings:{DatabaseMigrations.ConnectionNameOf(name)}"] = database.MigratorConnectionString,
            ["Database:Provider"] = "Postgres",
            ["Messaging:DeliveryPollInterval"] = "00:00:00.250",
            ["Serilog:MinimumLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in await TestIdentityProvider.ServiceSettingsAsync())
            configuration[key] = value;
        if (virtualHost is not null)
        {
            configuration["RabbitMq:Host"] = TestServers.RabbitMqHost;
            configuration["RabbitMq:VirtualHost"] = virtualHost.Name;
            configuration["RabbitMq:Username"] = TestServers.RabbitMqUser;
            configuration["RabbitMq:Password"] = TestServers.RabbitMqPassword;
            foreach (var (key, value) in TestSigningKeys.Settings(SigningKeyRing.ServiceNameOf(name)))
                configuration[key] = value;
            foreach (var (key, value) in TestPaymentTokenKeys.Settings)
                configuration[key] = value;
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            configuration[key] = value;
        builder.Configuration.AddInMemoryCollection(configuration);

        configureBuilder?.Invoke(builder);
        var app = build(builder);
        try
        {
            // What `--migrate` does before a service starts (a host without AddShopDbContext has nothing to migrate).
            if (migrate)
                await DatabaseMigrations.MigrateAsync(app.Services);
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var listening = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InProcessService(app, new Uri(listening), await TestTokens.OperatorAsync());
    }

    /// <summary>
    /// The service's own folder in the source tree (<c>Orders/</c>, <c>Simulators/PaymentProvider/</c>), its content root
    /// as under <c>dotnet run</c>: the service reads its own appsettings.json. The test's bin holds every referenced
    /// service's appsettings.json under the one name, the last copied winning. Null (the test's bin) for a test host.
    /// </summary>
    static string? ServiceFolder(string name)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (!File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
                continue;
            return new[] { Path.Combine(directory.FullName, name), Path.Combine(directory.FullName, "Simulators", name) }
                .FirstOrDefault(folder => File.Exists(Path.Combine(folder, "appsettings.json")));
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
            client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
