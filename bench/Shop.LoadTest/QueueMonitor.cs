using System.Collections.Concurrent;

namespace Shop.LoadTest;

/// <summary>Samples the vhost's queue depths every two seconds: the latest for the live line, the deepest for the summary.</summary>
sealed class QueueMonitor(RabbitManagement management, string vhost)
{
    readonly ConcurrentDictionary<string, long> _maxDepth = new();

    public IReadOnlyList<QueueSample> Latest { get; private set; } = [];

    public IReadOnlyDictionary<string, long> MaxDepth => _maxDepth;

    public async Task RunUntil(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var queues = await management.Queues(vhost);
            if (queues.Count > 0)
                Latest = queues;
            foreach (var queue in queues)
                _maxDepth.AddOrUpdate(queue.Name, queue.Messages, (_, max) => Math.Max(max, queue.Messages));
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(2), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>The three deepest queues now, e.g. <c>order-state 120, charge-payment 14</c>.</summary>
    public string Deepest() =>
        string.Join(", ", Latest.Where(x => x.Messages > 0).OrderByDescending(x => x.Messages).Take(3).Select(x => $"{x.Name} {x.Messages}"));
}
