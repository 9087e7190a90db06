using System.Collections.Concurrent;

namespace Shop.LoadTest;

/// <summary>One failed HTTP call: a status code, or <c>connection</c> / <c>timeout</c> when no answer came.</summary>
sealed record HttpError(DateTimeOffset At, string Operation, string Kind)
{
    public bool IsServerSide => Kind is "connection" or "timeout" || Kind.StartsWith('5');
}

/// <summary>Every failed HTTP call of the run, with its time, to be judged against the fault windows afterwards.</summary>
sealed class HttpErrors
{
    readonly ConcurrentQueue<HttpError> _errors = new();

    public int Count => _errors.Count;

    public IReadOnlyList<HttpError> All => [.. _errors];

    public void Add(string operation, string kind) => _errors.Enqueue(new HttpError(DateTimeOffset.UtcNow, operation, kind));
}
