using System.Collections.Concurrent;

namespace Shop.LoadTest;

/// <summary>An accepted order and what became of it.</summary>
sealed class TrackedOrder(Guid id, int number, Outcome intended, DateTimeOffset sentAt)
{
    readonly TaskCompletionSource _terminal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Guid Id => id;
    public int Number => number;
    public Outcome Intended => intended;

    /// <summary>When the POST that Orders accepted was sent (client clock).</summary>
    public DateTimeOffset SentAt => sentAt;

    public string? Status { get; private set; }
    public string? CancellationReason { get; private set; }

    /// <summary>The saga's own time of entering Completed/Cancelled (server clock, same machine).</summary>
    public DateTimeOffset? TerminalAt { get; private set; }

    /// <summary>When this tool first saw the order terminal.</summary>
    public DateTimeOffset? ObservedAt { get; private set; }

    public DateTimeOffset NextPoll { get; set; }

    public Task Terminal => _terminal.Task;

    public bool IsTerminal => TerminalAt is not null;

    public void Finish(string status, string? reason, DateTimeOffset terminalAt)
    {
        lock (_terminal)
        {
            if (IsTerminal)
                return;
            (Status, CancellationReason, TerminalAt, ObservedAt) = (status, reason, terminalAt, DateTimeOffset.UtcNow);
        }

        _terminal.TrySetResult();
    }
}

/// <summary>
/// Follows every accepted order until it is terminal. Orders' own OrderCompleted/OrderCancelled events (see
/// <see cref="TerminalEventWatcher"/>) end most orders at once; GET /orders/{id} is the authority for the rest: each
/// open order is asked about one second after acceptance, then less and less often as it ages, a few requests at a
/// time. While the events arrive (<see cref="Watched"/>) the polls only catch what the watcher missed: the first comes
/// after 10 s, so a slow shop is not asked more the slower it gets, and the polls stay out of the CPU per order.
/// </summary>
sealed class OrderTracker(OrdersClient orders)
{
    const int ParallelPolls = 4;

    readonly ConcurrentDictionary<Guid, TrackedOrder> _orders = new();
    int _polls;

    public ICollection<TrackedOrder> Orders => _orders.Values;
    public int Polls => _polls;
    public int Open => _orders.Values.Count(x => !x.IsTerminal);
    public int Terminal => _orders.Values.Count(x => x.IsTerminal);

    /// <summary>Set once the terminal events are being received.</summary>
    public bool Watched { get; set; }

    TimeSpan FirstPoll => TimeSpan.FromSeconds(Watched ? 10 : 1);

    public TrackedOrder Add(Guid id, int number, Outcome intended, DateTimeOffset sentAt) =>
        _orders.GetOrAdd(id, _ => new TrackedOrder(id, number, intended, sentAt) { NextPoll = sentAt + FirstPoll });

    public void Finish(Guid id, string status, string? reason, DateTimeOffset terminalAt)
    {
        if (_orders.TryGetValue(id, out var order))
            order.Finish(status, reason, terminalAt);
    }

    public async Task PollUntil(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (await WaitTick(timer, stop))
        {
            var now = DateTimeOffset.UtcNow;
            var due = _orders.Values.Where(x => !x.IsTerminal && x.NextPoll <= now).OrderBy(x => x.NextPoll).Take(200).ToList();
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = ParallelPolls }, async (order, _) =>
            {
                Interlocked.Increment(ref _polls);
                var status = await orders.Get(order.Id);
                if (status is { IsTerminal: true })
                    order.Finish(status.Status, status.CancellationReason, status.UpdatedAt);
                var age = DateTimeOffset.UtcNow - order.SentAt;
                order.NextPoll = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Clamp(age.TotalSeconds / 4, 1, Watched ? 10 : 5));
            });
        }
    }

    static async Task<bool> WaitTick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
