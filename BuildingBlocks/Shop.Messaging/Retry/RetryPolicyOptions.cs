namespace Shop.Messaging.Retry;

/// <summary>An endpoint's retry policy: quick in-process retries for transient faults, then durable redelivery, then <c>_error</c>.</summary>
public sealed class RetryPolicyOptions
{
    /// <summary>Immediate retries for transient faults (concurrency conflicts, lost connections, deadlocks).</summary>
    public int ImmediateRetries { get; set; } = 5;

    public TimeSpan MinInterval { get; set; } = TimeSpan.FromMilliseconds(10);
    public TimeSpan MaxInterval { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan IntervalDelta { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Further failures this endpoint treats as transient (retried at once), beside database faults and concurrency
    /// conflicts — for example a payment gateway's "try again".
    /// </summary>
    public Func<Exception, bool>? AlsoTransient { get; set; }

    /// <summary>Delays of the durable redeliveries that follow; after the last one the message goes to <c>_error</c>.</summary>
    public TimeSpan[] Redeliveries { get; set; } = [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2)];
}
