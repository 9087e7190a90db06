namespace Shop.Messaging.Hosting;

public static class PeriodicTimerExtensions
{
    /// <summary>
    /// Waits for the timer's next tick; false once the host is stopping, so that a background loop ends quietly
    /// (<c>while (await timer.WaitForNextTickOrStopAsync(stoppingToken))</c>) instead of through an exception.
    /// </summary>
    public static async Task<bool> WaitForNextTickOrStopAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
