namespace Shop.Testing;

/// <summary>Polls for an outcome of asynchronous messaging instead of sleeping a fixed time.</summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Polls until <paramref name="condition"/> holds; fails with <paramref name="description"/> after the timeout.</summary>
    public static async Task True(Func<Task<bool>> condition, string description, TimeSpan? timeout = null)
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

        throw new TimeoutException($"Timed out waiting for: {description}", last);
    }

    /// <summary>Polls until <paramref name="probe"/> returns a value (not null) and returns it.</summary>
    public static async Task<T> Value<T>(Func<Task<T?>> probe, string description, TimeSpan? timeout = null)
        where T : class
    {
        T? value = null;
        await True(async () => (value = await probe()) is not null, description, timeout);
        return value!;
    }
}
