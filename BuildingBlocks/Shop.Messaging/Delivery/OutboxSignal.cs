namespace Shop.Messaging.Delivery;

/// <summary>
/// Wakes the delivery service when a unit of work has committed outbox rows, so delivery does not wait for the next
/// poll. Signals coalesce: many commits while a batch is in flight cause one more pass, not many.
/// </summary>
public sealed class OutboxSignal
{
    readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        if (_semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
                // already signalled
            }
        }
    }

    /// <summary>
    /// Forgets a pending signal. A pass calls it before it reads the outbox: the commits signalled so far are in what it
    /// reads, so they need no further pass.
    /// </summary>
    public void Reset() => _semaphore.Wait(0);

    /// <summary>Waits for a signal or the timeout; true when signalled.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);
}
