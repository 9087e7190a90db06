namespace Shop.Testing;

/// <summary>Polls for an outcome of asynchronous messaging instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Polls until <paramref name="condition"/> holds; fails with <paramref name="description"/> after the timeout, and
    /// with what <paramref name="onTimeout"/> says was seen last.
    /// </summary>
    public static async Task True(Func<Task<bool>> condition, string description, TimeSpan? timeout = null, Func<string>? onTimeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (await condition())
                    return;
            }
            catch (Exception exception)
            {
                last = exception;
            }

            await Task.Delay(50);
        }

        var seen = onTimeout is null ? "" : $"; last seen: {onTimeout()}";
        throw new TimeoutException($"Timed out waiting for: {description}{seen}", last);
    }

    /// <summary>Polls until <paramref name="probe"/> returns a value (not null) and returns it.</summary>
    public static async Task<T> Value<T>(Func<Task<T?>> probe, string description, TimeSpan? timeout = null, Func<string>? onTimeout = null)
        where T : class
    {
        T? value = null;
        await True(async () => (value = await probe()) is not null, description, timeout, onTimeout);
        return value!;
    }
}

/// <summary>Checks that something stays true for a while — how a test proves that nothing more happens.</summary>
public static class Consistently
{
    public static readonly TimeSpan DefaultPeriod = TimeSpan.FromSeconds(1);

    /// <summary>Fails as soon as <paramref name="condition"/> is false within <paramref name="period"/>.</summary>
    public static async Task True(Func<bool> condition, string description, TimeSpan? period = null) =>
        await True(() => Task.FromResult(condition()), description, period);

    /// <inheritdoc cref="True(Func{bool}, string, TimeSpan?)"/>
    public static async Task True(Func<Task<bool>> condition, string description, TimeSpan? period = null)
    {
        var until = DateTime.UtcNow + (period ?? DefaultPeriod);
        do
        {
            if (!await condition())
                throw new ConsistentlyException($"No longer true: {description}");
            await Task.Delay(50);
        }
        while (DateTime.UtcNow < until);
    }
}

public sealed class ConsistentlyException(string message) : Exception(message);
