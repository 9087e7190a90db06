using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using Shop.Messaging.Configuration;

namespace Shop.Messaging.Diagnostics;

/// <summary>
/// Degraded when a message sits in the <c>_error</c> queue of one of this service's receive endpoints (a message gave
/// up after its retries: someone must look at it and re-drive or discard it). Counts with a passive queue declare over
/// a short-lived AMQP connection of its own (no management API), at most once per
/// <see cref="MessagingHealthOptions.ErrorQueueCacheDuration"/>. An error queue that does not exist yet counts as empty.
/// </summary>
sealed class ErrorQueueHealthCheck(
    ServiceReceiveEndpoints endpoints,
    IOptions<RabbitMqOptions> rabbitMq,
    IOptions<MessagingHealthOptions> health,
    TimeProvider clock) : IHealthCheck, IDisposable
{
    const ushort NotFound = 404;

    readonly SemaphoreSlim _gate = new(1, 1);
    (DateTimeOffset At, HealthCheckResult Result)? _last;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_last is { } last && clock.GetUtcNow() - last.At < health.Value.ErrorQueueCacheDuration)
                return last.Result;

            var result = await Check(cancellationToken).ConfigureAwait(false);
            _last = (clock.GetUtcNow(), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    async Task<HealthCheckResult> Check(CancellationToken cancellationToken)
    {
        var queues = endpoints.Queues;
        if (queues.Count == 0)
            return HealthCheckResult.Healthy("No receive endpoint has started yet");

        try
        {
            var counts = await CountErrorQueues(queues, cancellationToken).ConfigureAwait(false);
            var data = counts.ToDictionary(x => x.Key, x => (object)x.Value);
            var failed = counts.Where(x => x.Value > 0).Select(x => $"{x.Key}: {x.Value}").ToList();
            return failed.Count == 0
                ? HealthCheckResult.Healthy($"{counts.Count} error queue(s) empty", data)
                : HealthCheckResult.Degraded($"Messages in error queues: {string.Join(", ", failed)}", data: data);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Degraded($"Could not count the error queues: {exception.Message}", exception);
        }
    }

    async Task<Dictionary<string, uint>> CountErrorQueues(IReadOnlyList<string> queues, CancellationToken cancellationToken)
    {
        var options = rabbitMq.Value;
        var factory = new ConnectionFactory
        {
            HostName = options.Host,
            Port = options.Port,
            VirtualHost = options.VirtualHost,
            UserName = options.Username,
            Password = options.Password,
            ClientProvidedName = "shop-error-queue-health",
            RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            AutomaticRecoveryEnabled = false,
        };

        await using var connection = await factory.CreateConnectionAsync(cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<string, uint>(StringComparer.Ordinal);
        foreach (var queue in queues)
        {
            var errorQueue = $"{queue}_error";

            // A passive declare of a missing queue closes the channel, so each queue gets its own.
            await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            try
            {
                var declared = await channel.QueueDeclarePassiveAsync(errorQueue, cancellationToken).ConfigureAwait(false);
                counts[errorQueue] = declared.MessageCount;
            }
            catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == NotFound)
            {
                counts[errorQueue] = 0;
            }
        }

        return counts;
    }

    public void Dispose() => _gate.Dispose();
}
