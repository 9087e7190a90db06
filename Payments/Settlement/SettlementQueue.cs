using System.Diagnostics;

namespace Shop.Payments.Settlement;

/// <summary>
/// The orders waiting to be settled: bounded, and coalesced by order — an order already waiting is not queued twice, so
/// the reconciler asking again for the same unresolved orders every pass does not grow it. Fresh intents (a consumer just
/// committed one) go before the reconciler's, which may fill at most half of it, so a slow provider cannot make a new
/// charge wait behind a backlog of old ones and miss the saga's payment deadline. A refused order is not lost: its
/// intent is committed, and the reconciler offers it again on a later pass.
/// </summary>
public sealed class SettlementQueue(int capacity)
{
    readonly Lock _gate = new();
    readonly Queue<(Guid OrderId, ActivityContext Parent)> _fresh = [];
    readonly Queue<Guid> _retries = [];
    readonly HashSet<Guid> _queued = [];
    readonly SemaphoreSlim _available = new(0);

    public int Capacity => capacity;

    /// <summary>How many orders wait (each once).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _queued.Count;
        }
    }

    /// <summary>Queues a fresh intent. False when the order already waits (coalesced) or the queue is full.</summary>
    public bool TryEnqueueFresh(Guid orderId, ActivityContext parent) => TryEnqueue(orderId, parent, fresh: true);

    /// <summary>Queues an order the reconciler found unresolved. False when it already waits or half the queue is retries.</summary>
    public bool TryEnqueueRetry(Guid orderId) => TryEnqueue(orderId, default, fresh: false);

    bool TryEnqueue(Guid orderId, ActivityContext parent, bool fresh)
    {
        lock (_gate)
        {
            if (_queued.Contains(orderId) || _queued.Count >= capacity || (!fresh && _retries.Count >= capacity / 2))
                return false;

            _queued.Add(orderId);
            if (fresh)
                _fresh.Enqueue((orderId, parent));
            else
                _retries.Enqueue(orderId);
        }

        _available.Release();
        return true;
    }

    /// <summary>The next order, fresh intents first.</summary>
    public async Task<(Guid OrderId, ActivityContext Parent)> DequeueAsync(CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken);
        lock (_gate)
        {
            var next = _fresh.Count > 0 ? _fresh.Dequeue() : (_retries.Dequeue(), default);
            _queued.Remove(next.OrderId);
            return next;
        }
    }
}
