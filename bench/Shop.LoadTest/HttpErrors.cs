using System.Collections.Concurrent;

namespace Shop.LoadTest;

/// <summary>
/// One failed HTTP call, from when it was sent (<paramref name="SentAt"/>) to when it failed (<paramref name="At"/>): a
/// status code, or <c>connection</c> / <c>timeout</c> when no answer came.
/// </summary>
sealed record HttpError(DateTimeOffset SentAt, DateTimeOffset At, string Operation, string Kind)
{
    public bool IsServerSide => Kind is "connection" or "timeout" || Kind.StartsWith('5');
}

/// <summary>Every failed HTTP call of the run, with its time, to be judged against the fault windows afterwards.</summary>
sealed class HttpErrors
{
    readonly ConcurrentQueue<HttpError> _errors = new();

    public int Count => _errors.Count;

    public IReadOnlyList<HttpError> All => [.. _errors];

    public void Add(DateTimeOffset sentAt, string operation, string kind) =>
        _errors.Enqueue(new HttpError(sentAt, DateTimeOffset.UtcNow, operation, kind));
}
