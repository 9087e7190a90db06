namespace Shop.Messaging.Tests.Infrastructure;

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
