using Microsoft.Extensions.Logging;

namespace Shop.Data;

/// <summary>Start-up work against a database that may still be starting (compose start order, a restart).</summary>
static class DatabaseStartup
{
    static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="work"/>, again while the database fails transiently, for up to two minutes.</summary>
    public static async Task WhenReachableAsync(ILogger logger, Func<Task> work, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + Patience;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await work();
                return;
            }
            catch (Exception exception) when (DatabaseErrors.IsTransient(exception) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Database not ready (attempt {Attempt}); retrying", attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }
}
