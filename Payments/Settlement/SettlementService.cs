using System.Diagnostics;
using System.Threading.Channels;
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

    readonly Channel<(Guid OrderId, ActivityContext Parent)> _queue = Channel.CreateUnbounded<(Guid, ActivityContext)>();

    // Orders being settled, each with whether it was asked for again meanwhile (it then runs once more).
    readonly Dictionary<Guid, bool> _busy = [];

    /// <summary>Settles the order soon, in the trace of the caller's activity.</summary>
    public void Enqueue(Guid orderId) => _queue.Writer.TryWrite((orderId, Activity.Current?.Context ?? default));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll([.. Enumerable.Range(0, options.Value.SettlementConcurrency).Select(_ => WorkAsync(stoppingToken)),
            ReconcileAsync(stoppingToken)]);

    async Task WorkAsync(CancellationToken stoppingToken)
    {
        await foreach (var (orderId, parent) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
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
                foreach (var orderId in await UnresolvedAsync(stoppingToken))
                    _queue.Writer.TryWrite((orderId, default));
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
