using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Messaging.Diagnostics;

public static class DiagnosticsServiceCollectionExtensions
{
    public const string OutboxCheck = "outbox";
    public const string ErrorQueuesCheck = "error-queues";

    /// <summary>
    /// The <see cref="MessagingMetrics.MeterName"/> meter with its table sampler, and two health checks that report
    /// Degraded — never Unhealthy, so the service keeps receiving traffic — when the outbox falls behind or a
    /// message lands in an error queue. Configuration: <c>Messaging:Health</c> and <c>Messaging:Metrics</c>.
    /// </summary>
    internal static IServiceCollection AddMessagingDiagnostics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MessagingHealthOptions>().Bind(configuration.GetSection("Messaging:Health"));
        services.AddOptions<MessagingMetricsOptions>().Bind(configuration.GetSection("Messaging:Metrics"));
        services.AddMetrics();
        services.TryAddSingleton<MessagingMetrics>();
        services.AddHostedService<MessagingTablesSampler>();
        services.TryAddSingleton<ServiceReceiveEndpoints>();
        services.AddReceiveEndpointObserver(provider => provider.GetRequiredService<ServiceReceiveEndpoints>());
        services.TryAddSingleton<ErrorQueueHealthCheck>();

        services.AddHealthChecks()
            .AddCheck<OutboxHealthCheck>(OutboxCheck, HealthStatus.Degraded, ["messaging"])
            .AddCheck<ErrorQueueHealthCheck>(ErrorQueuesCheck, HealthStatus.Degraded, ["messaging"]);
        return services;
    }
}
