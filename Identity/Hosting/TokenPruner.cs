using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Shop.Identity.Hosting;

/// <summary>
/// Every token and authorization is a row: deletes the expired and revoked ones older than one interval, every
/// interval (OpenIddict.Quartz, which would do it, is not available to us).
/// </summary>
sealed class TokenPruner(IServiceProvider services, IOptions<IdentityProviderOptions> options, TimeProvider clock, ILogger<TokenPruner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.PruneInterval;
        using var timer = new PeriodicTimer(interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                var threshold = clock.GetUtcNow() - interval;
                var tokens = await scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>().PruneAsync(threshold, stoppingToken);
                var authorizations = await scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>().PruneAsync(threshold, stoppingToken);
                logger.LogInformation("Pruned {Tokens} tokens and {Authorizations} authorizations", tokens, authorizations);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Pruning tokens failed; trying again in {Interval}", interval);
            }
        }
    }
}
