using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Messaging.Configuration;
using Shop.Messaging.Delivery;
using Shop.Messaging.Signing;
using Shop.Messaging.Tests.Infrastructure;
using Shop.ServiceDefaults;
using Shop.Testing;

namespace Shop.Messaging.Tests.Diagnostics;

/// <summary>
/// A service built like a real one (service defaults, <c>/health/ready</c>) around the counter consumer, with fast
/// sampling and short thresholds, on the test's own database and virtual host.
/// </summary>
public abstract class DiagnosticsTest : MessagingTest
{
    protected InProcessService Service { get; private set; } = null!;

    protected virtual bool DeliveryEnabled => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await using (var context = new TestDbContext(new DbContextOptionsBuilder<TestDbContext>().UseNpgsql(Db.ConnectionString).Options))
            await context.Database.EnsureCreatedAsync();

        Service = Own(await InProcessService.StartAsync("Diagnostics", Db, VirtualHost, Build, new Dictionary<string, string?>
        {
            ["Messaging:DeliveryEnabled"] = DeliveryEnabled.ToString(),
            ["Messaging:Metrics:SampleInterval"] = "00:00:00.100",
            ["Messaging:Health:OutboxMaxAge"] = "00:00:10",
            ["Messaging:Health:ErrorQueueCacheDuration"] = "00:00:00.100",
        }));
    }

    /// <summary>The test service's entry point, laid out as a real one's (<c>OrdersApp.Build</c>, ...).</summary>
    WebApplication Build(WebApplicationBuilder builder)
    {
        builder.AddServiceDefaults();
        // AddShopMessaging attaches the outbox signals to TestDbContext's options (no UseShopOutboxSignals here).
        builder.Services.AddDbContextPool<TestDbContext>(options => options.UseNpgsql(Db.ConnectionString));
        builder.Services.AddMessageSenders(TestMessages.SentBy("diagnostics"));
        builder.Services.Configure<EndpointPolicyOptions>(options => options.WithoutStandardPolicy.Add(MessagingTestHost.ProbeQueue));
        builder.Services.AddShopMessaging<TestDbContext>(builder.Configuration, bus =>
        {
            bus.AddConsumer<IncrementCounterConsumer, IncrementCounterConsumerDefinition>();
            bus.AddConsumer<CounterIncrementedProbe>();
        });

        var app = builder.Build();
        app.MapDefaultEndpoints();
        return app;
    }

    /// <summary>Publishes through the bus outbox as an HTTP handler would: the rows commit with SaveChanges.</summary>
    protected async Task WriteToOutbox(int messages)
    {
        await using var scope = Service.Services.CreateAsyncScope();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        for (var number = 0; number < messages; number++)
            await publisher.Publish(new Ping(number));
        await scope.ServiceProvider.GetRequiredService<TestDbContext>().SaveChangesAsync();
    }

    /// <summary>One pass of the delivery service, as it runs when enabled.</summary>
    protected Task DeliverOutbox() =>
        Service.Services.GetServices<IHostedService>().OfType<OutboxDeliveryService>().Single().DeliverDueGroups(CancellationToken.None);

    /// <summary>GET /health/ready: the HTTP status and each check's status and description.</summary>
    protected async Task<Readiness> Ready()
    {
        var response = await Service.Http.GetAsync("/health/ready");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var checks = body.GetProperty("checks").EnumerateObject().ToDictionary(
            x => x.Name,
            x => new Check(x.Value.GetProperty("status").GetString()!, x.Value.GetProperty("description").GetString()));
        return new Readiness(response.StatusCode, body.GetProperty("status").GetString()!, checks);
    }

    protected sealed record Readiness(HttpStatusCode HttpStatus, string Status, IReadOnlyDictionary<string, Check> Checks);

    protected sealed record Check(string Status, string? Description);
}
