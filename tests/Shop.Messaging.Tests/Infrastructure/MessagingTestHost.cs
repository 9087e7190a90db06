using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Shop.Data;
using Shop.Messaging.Configuration;
using Shop.Messaging.Signing;
using Shop.Testing;

namespace Shop.Messaging.Tests.Infrastructure;

/// <summary>
/// A service host as a Shop service wires it (AddShopMessaging on a DbContext), on the real PostgreSQL and RabbitMQ,
/// with a private database and virtual host per test.
/// </summary>
public sealed class MessagingTestHost : IAsyncDisposable
{
    /// <summary>Who the test host signs as; it is the sender of every test message unless a test names others.</summary>
    public const string Signer = "messaging-test";

    readonly IHost _host;

    MessagingTestHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public IBus Bus => _host.Services.GetRequiredService<IBus>();

    /// <summary>The probe's queue: it runs without the standard policy, so that a duplicate delivery shows.</summary>
    public const string ProbeQueue = "counter-incremented-probe";

    public static async Task<MessagingTestHost> StartAsync(TestDatabase database, TestVirtualHost virtualHost,
        Action<IBusRegistrationConfigurator> configureBus, bool deliveryEnabled = true, IReadOnlyDictionary<Type, string>? senders = null,
        Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing" });
        builder.Configuration.AddInMemoryCollection(TestSigningKeys.Settings(Signer));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = TestServers.RabbitMqHost,
            ["RabbitMq:VirtualHost"] = virtualHost.Name,
            ["RabbitMq:Username"] = TestServers.RabbitMqUser,
            ["RabbitMq:Password"] = TestServers.RabbitMqPassword,
            ["Messaging:DeliveryPollInterval"] = "00:00:00.200",
            ["Messaging:DeliveryEnabled"] = deliveryEnabled.ToString(),
        });
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning).AddFilter("Shop", LogLevel.Debug);

        // AddShopMessaging attaches the outbox signals to TestDbContext's options.
        builder.Services.AddDbContextPool<TestDbContext>(options => options.UseNpgsql(PostgresConnectionTuning.Apply(database.ConnectionString)));
        builder.Services.AddMessageSenders(senders ?? TestMessages.SentBy(Signer));
        builder.Services.Configure<EndpointPolicyOptions>(options => options.WithoutStandardPolicy.Add(ProbeQueue));
        configure?.Invoke(builder);
        builder.Services.AddShopMessaging<TestDbContext>(builder.Configuration, configureBus);

        var host = builder.Build();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await db.Database.EnsureCreatedAsync();
        }

        await host.StartAsync();
        return new MessagingTestHost(host);
    }

    /// <summary>Runs work in a fresh DI scope (as an HTTP request would) and returns its result.</summary>
    public async Task<T> InScope<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    public async Task<int?> CounterValue(string key) =>
        await InScope(async services =>
            (await services.GetRequiredService<TestDbContext>().Counters.AsNoTracking().SingleOrDefaultAsync(x => x.Key == key))?.Value);

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
