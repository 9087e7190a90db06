using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.WebUtilities;

namespace Shop.Messaging.Diagnostics;

/// <summary>
/// The durable queues this process consumes from, learnt from its receive endpoints as they start (the bus's own
/// temporary queue is left out: it has no error queue).
/// </summary>
sealed class ServiceReceiveEndpoints : IReceiveEndpointObserver
{
    readonly ConcurrentDictionary<string, byte> _queues = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Queues => [.. _queues.Keys.Order(StringComparer.Ordinal)];

    public Task Ready(ReceiveEndpointReady ready)
    {
        var query = QueryHelpers.ParseQuery(ready.InputAddress.Query);
        if (!IsSet(query, "temporary") && !IsSet(query, "autodelete"))
            _queues.TryAdd(Uri.UnescapeDataString(ready.InputAddress.Segments[^1]), 0);

        return Task.CompletedTask;
    }

    public Task Stopping(ReceiveEndpointStopping stopping) => Task.CompletedTask;

    public Task Completed(ReceiveEndpointCompleted completed) => Task.CompletedTask;

    public Task Faulted(ReceiveEndpointFaulted faulted) => Task.CompletedTask;

    static bool IsSet(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string key) =>
        query.TryGetValue(key, out var value) && bool.TryParse(value, out var set) && set;
}
