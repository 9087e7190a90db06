using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Shop.Messaging.Diagnostics;

/// <summary>
/// Degraded when the oldest due outbox message has waited longer than <see cref="MessagingHealthOptions.OutboxMaxAge"/>
/// (delivery is stuck or behind: the broker refuses, or the delivery service is off), or when the outbox has not been
/// sampled for a while. Scheduled messages not yet due do not count. Reads the last sample; never queries.
/// </summary>
sealed class OutboxHealthCheck(
    MessagingMetrics metrics,
    IOptions<MessagingHealthOptions> health,
    IOptions<MessagingMetricsOptions> sampling,
    TimeProvider clock) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var maxAge = health.Value.OutboxMaxAge;
        var staleAfter = Max(3 * sampling.Value.SampleInterval, TimeSpan.FromSeconds(30));

        var result = metrics.Outbox switch
        {
            null => HealthCheckResult.Healthy("Outbox not sampled yet"),
            var sample when clock.GetUtcNow() - sample.SampledAt > staleAfter =>
                HealthCheckResult.Degraded($"Outbox last sampled at {sample.SampledAt:O}; sampling is failing (see the logs)"),
            var sample when sample.OldestAge > maxAge =>
                HealthCheckResult.Degraded(
                    $"{sample.Backlog} outbox message(s) waiting; the oldest for {sample.OldestAge.TotalSeconds:F0} s (limit {maxAge.TotalSeconds:F0} s)"),
            var sample => HealthCheckResult.Healthy(
                $"{sample.Backlog} outbox message(s) waiting; the oldest for {sample.OldestAge.TotalSeconds:F0} s"),
        };

        return Task.FromResult(result);
    }

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
