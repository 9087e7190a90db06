using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Middleware;
using MassTransit.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Messaging.Configuration;
using Shop.Messaging.Diagnostics;
using Shop.Messaging.Outbox;
using Shop.Messaging.Storage;

namespace Shop.Messaging.Delivery;

/// <summary>
/// Sends committed outbox rows to the broker. Woken by <see cref="OutboxSignal"/> after each commit, it polls as a
/// fallback (other instances' commits, scheduled messages coming due, rows left by a crash). Each pass locks a batch
/// of due groups with skip-locked row locks, sends each group's messages in the order they were written (groups in
/// parallel), then deletes what was sent — in one transaction, so several instances never send the same group. With
/// nothing due it sleeps until the next scheduled group or the poll interval, whichever comes first; groups another
/// instance holds never make it spin. A crash between send and commit, or a send not confirmed in time, re-sends the
/// group later; the receivers' inbox drops the duplicate.
/// </summary>
public sealed class OutboxDeliveryService(
    IServiceScopeFactory scopeFactory,
    IBusControl bus,
    OutboxSignal signal,
    MessagingMetrics metrics,
    IOptions<MessagingOptions> options,
    TimeProvider clock,
    ILogger<OutboxDeliveryService> logger) : BackgroundService
{
    readonly MessagingOptions _options = options.Value;

    // The statements depend only on the provider and the model: built on the first pass, reused after.
    Statements? _statements;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.DeliveryEnabled)
        {
            logger.LogWarning("Outbox delivery is disabled in this process (Messaging:DeliveryEnabled=false)");
            return;
        }

        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken).ConfigureAwait(false);
        logger.LogInformation("Outbox delivery started (batch {BatchSize}, poll {PollInterval})", _options.DeliveryBatchSize,
            _options.DeliveryPollInterval);

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                var pass = await DeliverDueGroups(stoppingToken).ConfigureAwait(false);
                failures = 0;
                if (pass.Delivered >= _options.DeliveryBatchSize)
                    continue;

                wait = _options.DeliveryPollInterval;
                if (pass.NextDue is { } nextDue)
                {
                    var untilDue = nextDue - clock.GetUtcNow().UtcDateTime;
                    wait = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < wait ? untilDue : wait;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                failures++;
                wait = TimeSpan.FromMilliseconds(Math.Min(100 * Math.Pow(2, failures), 5_000));
                logger.LogWarning(exception, "Outbox delivery pass failed (attempt {Failures}); retrying in {Wait}", failures, wait);
            }

            try
            {
                if (wait > TimeSpan.Zero)
                    await signal.WaitAsync(wait, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>
    /// One pass: take due messages (locking their groups), send them, delete what was sent — three round trips with the
    /// commit. Once the pass has begun sending, stopping the host
    /// only stops it from starting further sends: what was sent is deleted and committed (never rolled back and sent
    /// again), and a send in flight is given <see cref="MessagingOptions.SendTimeout"/> to be confirmed.
    /// </summary>
    internal async Task<DeliveryPass> DeliverDueGroups(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<OutboxDbContextAccessor>().DbContext;
        _statements ??= FirstPass(dbContext);
        var now = clock.GetUtcNow().UtcDateTime;

        // Every commit signalled before the query below is visible to it.
        signal.Reset();
        await using var transaction = await dbContext.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        var messages = await dbContext.Set<OutboxMessage>()
            .FromSqlRaw(_statements.TakeDueMessages, now, _options.DeliveryBatchSize)
            .AsNoTracking()
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        metrics.RecordDeliveryPass();

        if (messages.Count == 0)
        {
            // Due groups another instance holds are not counted: only a group not yet due shortens the wait.
            var nextDue = await dbContext.Database.SqlQueryRaw<DateTime?>(_statements.NextDue, now)
                .SingleAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return new DeliveryPass(0, nextDue);
        }

        var sent = new ConcurrentBag<long>();
        var failed = 0;

        // Not cancelled by the stopping token: a cancelled ForEachAsync would throw past the deletes below and roll back
        // the record of what was already sent. Each group checks the token before each send instead.
        await Parallel.ForEachAsync(messages.GroupBy(x => x.OutboxId),
            new ParallelOptions { MaxDegreeOfParallelism = _options.DeliveryConcurrency },
            async (group, _) =>
            {
                foreach (var message in group)
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        // Stopping: the rest of this group stays in the outbox, in order, for the next pass (any instance).
                        break;
                    }

                    try
                    {
                        await Send(message, now).ConfigureAwait(false);
                        sent.Add(message.SequenceNumber);
                    }
                    catch (Exception exception)
                    {
                        // Not sent, or maybe sent (no confirm within SendTimeout): it stays and goes again; the receiver's
                        // inbox drops a copy. The group stops here so its remaining messages keep their order.
                        logger.LogWarning(exception,
                            "Outbox message {MessageId} ({SequenceNumber}) to {Destination} was not confirmed; it is sent again later",
                            message.MessageId, message.SequenceNumber, message.DestinationAddress);
                        metrics.RecordDeliveryFailure();
                        Interlocked.Increment(ref failed);
                        break;
                    }
                }
            }).ConfigureAwait(false);

        // What was sent goes, and with it every group of the pass left without messages; a group cut short (stopping,
        // a failed send, or the batch limit) keeps the rest of its messages and so stays.
        var sentNumbers = sent.ToList();
        if (sentNumbers.Count > 0)
        {
            var (dialect, groupIds) = (_statements.Dialect, messages.Select(x => x.OutboxId).Distinct().ToList());
            await dbContext.Database.ExecuteSqlRawAsync(_statements.DeleteDelivered,
                [dialect.ListParameter(sentNumbers), dialect.ListParameter(groupIds)], CancellationToken.None).ConfigureAwait(false);
        }

        // Once sent, the deletes must commit even when the host is stopping, or the messages go out twice.
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        metrics.RecordDelivered(sentNumbers.Count);

        if (failed > 0)
            throw new OutboxDeliveryException(failed);

        return new DeliveryPass(sentNumbers.Count, null);
    }

    /// <summary>Start-up work, once: build the statements and check that commits will wake this service.</summary>
    Statements FirstPass(DbContext dbContext)
    {
        var interceptors = dbContext.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.Interceptors ?? [];
        // AddShopMessaging attaches the signals to its TDbContext, AddShopDbContext to the provider's type as well; a
        // context registered some other way (AddDbContextPool<TService, TImplementation> by hand) needs UseShopOutboxSignals.
        if (!interceptors.OfType<OutboxCommitInterceptor>().Any())
        {
            logger.LogWarning("{DbContext} is registered without UseShopOutboxSignals: outbox rows wait for the next poll ({PollInterval})",
                dbContext.GetType().Name, _options.DeliveryPollInterval);
        }

        var dialect = DatabaseDialect.For(dbContext);
        return new Statements(dialect, dialect.TakeDueMessagesSql(dbContext), dialect.DeleteDeliveredSql(dbContext), dialect.NextDueSql(dbContext));
    }

    /// <summary>
    /// Sends one message and waits for the broker's confirm, for at most <see cref="MessagingOptions.SendTimeout"/> (the
    /// client would otherwise wait as long as its token allows, e.g. while a quorum queue has no majority). Not bounded
    /// by the stopping token: a send once started is confirmed or timed out, then recorded.
    /// </summary>
    async Task Send(OutboxMessage message, DateTime now)
    {
        if (message.ExpirationTime is { } expiration && expiration < now)
        {
            logger.LogInformation("Outbox message {MessageId} expired at {Expiration}; not sent", message.MessageId, expiration);
            return;
        }

        if (message.DestinationAddress is null)
        {
            logger.LogError("Outbox message {MessageId} has no destination; dropped", message.MessageId);
            return;
        }

        message.Deserialize(SystemTextJsonMessageSerializer.Instance);

        using var timeout = new CancellationTokenSource(_options.SendTimeout);

        // The stored message carries no delay: a scheduled message waited in the outbox until due, so it goes to the
        // broker as a plain send (RabbitMQ here has no delayed-exchange plugin).
        var endpoint = await bus.GetSendEndpoint(message.DestinationAddress).ConfigureAwait(false);
        await endpoint.Send(new SerializedMessageBody(), new StoredMessageSendPipe(message), timeout.Token)
            .ConfigureAwait(false);
    }

    internal readonly record struct DeliveryPass(int Delivered, DateTime? NextDue);

    sealed record Statements(DatabaseDialect Dialect, string TakeDueMessages, string DeleteDelivered, string NextDue);
}

/// <summary>Some outbox groups could not be sent (or not confirmed) in a pass; they stay in the outbox and are retried.</summary>
public sealed class OutboxDeliveryException(int failedGroups)
    : Exception($"{failedGroups} outbox group(s) could not be delivered; they will be retried.");
