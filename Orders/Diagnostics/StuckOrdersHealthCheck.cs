using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Shop.Orders.Diagnostics;

/// <summary>
/// Degraded — never Unhealthy: the service itself works — when an order has been in a non-terminal state longer than
/// <see cref="OrdersOptions.StuckAfter"/>, when an order's compensations are past their deadline (escalated), or when
/// the open orders have not been sampled for a while, or when orders are in a state this release does not know. Reads
/// the last sample of <see cref="OpenOrdersSampler"/>.
/// </summary>
sealed class StuckOrdersHealthCheck(OrderMetrics metrics, IOptions<OrdersOptions> options, TimeProvider clock) : IHealthCheck
{
    public const string Name = "stuck-orders";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stuckAfter = options.Value.StuckAfter;
        var staleAfter = Max(3 * options.Value.StuckSampleInterval, TimeSpan.FromSeconds(30));

        var result = metrics.OpenOrders switch
        {
            null => HealthCheckResult.Healthy("Open orders not sampled yet"),
            var sample when clock.GetUtcNow() - sample.SampledAt > staleAfter =>
                HealthCheckResult.Degraded($"Open orders last sampled at {sample.SampledAt:O}; sampling is failing (see the logs)"),
            var sample when sample.States.FirstOrDefault(x => x.Count > 0 && !OpenOrdersSampler.OpenStates.Contains(x.Name)) is { } unknown =>
                HealthCheckResult.Degraded($"{unknown.Count} order(s) in state {unknown.Name}, unknown to this release; {Describe(sample)}"),
            var sample when sample.OldestAge > stuckAfter || sample.Escalated > 0 =>
                HealthCheckResult.Degraded($"{Describe(sample)} (limit {stuckAfter.TotalSeconds:F0} s); see shop-admin orders stuck"),
            var sample => HealthCheckResult.Healthy(Describe(sample)),
        };

        return Task.FromResult(result);
    }

    static string Describe(OpenOrdersSample sample) =>
        $"{sample.States.Sum(x => x.Count)} open order(s), {sample.Escalated} escalated; the oldest in its state for {sample.OldestAge.TotalSeconds:F0} s";

    static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
