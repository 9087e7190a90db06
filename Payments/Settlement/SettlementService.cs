using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Messaging.Hosting;
using Shop.Payments.Data;
using Shop.Payments.Domain;

namespace Shop.Payments.Settlement;

/// <summary>
/// Runs <see cref="PaymentSettler"/> for the orders whose ledger asks something of the provider: at once for the orders
/// a consumer just committed an intent for (<see cref="Enqueue"/>), and — the reconciler — every
/// <see cref="PaymentsOptions.ReconcileInterval"/> for every intent still unresolved after
/// <see cref="PaymentsOptions.ReconcileAfter"/> (a lost answer, a provider that was down, a crash of this process).
/// One order is settled by one worker at a time here, so a refund waits for its order's charge in flight; other
/// instances are kept right by the provider's idempotency keys and the ledger's unique entries.
/// </summary>
public sealed class SettlementService(PaymentSettler settler, IServiceScopeFactory scopes, IOptions<PaymentsOptions> options,
    TimeProvider clock, ILogger<SettlementService> logger) : BackgroundService
{
    static readonly ActivitySource Source = new(PaymentsMetrics.Name);

    readonly SettlementQueue _queue = new(options.Value.SettlementQueueCapacity);

    // Orders being settled, each with whether it was asked for again meanwhile (it then runs once more).
    readonly Dictionary<Guid, bool> _busy = [];

    /// <summary>How many orders wait to be settled (bounded by <see cref="PaymentsOptions.SettlementQueueCapacity"/>).</summary>
    public int Queued => _queue.Count;

    /// <summary>Settles the order soon, in the trace of the caller's activity.</summary>
    public void Enqueue(Guid orderId)
    {
        // Being settled right now: run it once more when done, rather than queue it (the queue holds each order once).
        if (AskAgainIfBusy(orderId))
            return;
        if (!_queue.TryEnqueueFresh(orderId, Activity.Current?.Context ?? default))
            logger.LogDebug("Order {OrderId} already waits, or the settlement queue is full; the reconciler takes it", orderId);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([.. Enumerable.Range(0, options.Value.SettlementConcurrency).Select(_ => WorkAsync(stoppingToken)),
            ReconcileAsync(stoppingToken)]);

    async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            Guid orderId;
            ActivityContext parent;
            try
            {
                (orderId, parent) = await _queue.DequeueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            if (!TryStart(orderId))
                continue;

            do
            {
                using var activity = Source.StartActivity("settle payment", ActivityKind.Internal, parent);
                activity?.SetTag("shop.order_id", orderId);
                try
                {
                    await settler.SettleAsync(orderId, stoppingToken);
                }
                catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
                {
                    // The intent stays committed: the reconciler picks the order up again.
                    logger.LogError(exception, "Settling the payment of order {OrderId} failed; the reconciler retries it", orderId);
                }
            }
            while (Again(orderId));
        }
    }

    async Task ReconcileAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReconcileInterval, clock);
        while (await timer.WaitForNextTickOrStopAsync(stoppingToken))
        {
            try
            {
                // Coalesced and bounded: an order still waiting is not queued again, and a full queue takes the rest next pass.
                foreach (var orderId in await UnresolvedAsync(stoppingToken))
                {
                    if (!IsBusy(orderId))
                        _queue.TryEnqueueRetry(orderId);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "The payment reconciler could not read the ledger; it tries again");
            }
        }
    }

    /// <summary>Orders with an intent older than ReconcileAfter that nothing resolved yet.</summary>
    async Task<List<Guid>> UnresolvedAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        var before = clock.GetUtcNow() - options.Value.ReconcileAfter;
        var payments = dbContext.Payments.AsNoTracking();
        return await payments
            .Where(intent => intent.At < before
                             && (intent.Kind == PaymentRecordKind.ChargeRequested || intent.Kind == PaymentRecordKind.RefundRequested))
            .Where(intent => !payments.Any(done => done.OrderId == intent.OrderId
                                                   && (done.Kind == PaymentRecordKind.Refund || done.Kind == PaymentRecordKind.Void
                                                       || (intent.Kind == PaymentRecordKind.ChargeRequested
                                                           && (done.Kind == PaymentRecordKind.Capture || done.Kind == PaymentRecordKind.Decline)))))
            .Select(intent => intent.OrderId)
            .Distinct()
            .OrderBy(orderId => orderId)
            .Take(options.Value.ReconcileBatch)
            .ToListAsync(cancellationToken);
    }

    bool IsBusy(Guid orderId)
    {
        lock (_busy)
            return _busy.ContainsKey(orderId);
    }

    bool AskAgainIfBusy(Guid orderId)
    {
        lock (_busy)
        {
            if (!_busy.ContainsKey(orderId))
                return false;
            _busy[orderId] = true;
            return true;
        }
    }

    bool TryStart(Guid orderId)
    {
        lock (_busy)
        {
            if (_busy.ContainsKey(orderId))
            {
                _busy[orderId] = true;
                return false;
            }

            _busy[orderId] = false;
            return true;
        }
    }

    bool Again(Guid orderId)
    {
        lock (_busy)
        {
            if (_busy[orderId])
            {
                _busy[orderId] = false;
                return true;
            }

            _busy.Remove(orderId);
            return false;
        }
    }
}
