namespace Shop.Messaging.Tests.Infrastructure;

public static class TestMessages
{
    /// <summary>Every test message, sent by <paramref name="service"/> (the test host sends to itself).</summary>
    public static IReadOnlyDictionary<Type, string> SentBy(string service) =>
        typeof(TestMessages).Assembly.GetTypes()
            .Where(x => x.Namespace == typeof(TestMessages).Namespace && x.IsSealed && x.GetMethod("<Clone>$") is not null)
            .ToDictionary(x => x, _ => service);
}

public sealed record IncrementCounter(string Key);

public sealed record CounterIncremented(string Key);

/// <summary>Increments, publishes <see cref="CounterIncremented"/>, then throws: nothing of it may survive.</summary>
public sealed record IncrementThenExplode(string Key);

/// <summary>Fails on its first <see cref="Failures"/> deliveries (counted across redeliveries), then succeeds.</summary>
public sealed record FlakyIncrement(string Key, int Failures);

public sealed record StartWork(Guid CorrelationId, TimeSpan Timeout);

public sealed record AddToWork(Guid CorrelationId);

public sealed record ExtendWork(Guid CorrelationId, TimeSpan Timeout);

public sealed record CancelWork(Guid CorrelationId);

public sealed record WorkTimedOut(Guid CorrelationId);

public sealed record Ping(int Number);

/// <summary>For <see cref="PlainIncrementConsumer"/>, a consumer registered without a definition; <c>Explode</c> makes it fail.</summary>
public sealed record PlainIncrement(string Key, bool Explode = false);
