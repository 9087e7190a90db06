using RabbitMQ.Client;
using Shop.Messaging.Signing;
using Shop.Operations.DeadLetters;

namespace Shop.Operations.Broker;

/// <summary>
/// One AMQP channel (publisher confirms on) through which the tool takes messages out of error queues without
/// acknowledging them, so the broker keeps owning every one: a message is removed only by an explicit
/// <see cref="AcknowledgeAsync"/>; the rest go back by <see cref="RequeueHeldAsync"/> — or, if the tool dies, when the
/// broker sees the channel close. RabbitMQ puts requeued messages back at their original position, so the order of
/// what stays is kept.
/// </summary>
public sealed class ErrorQueueSession : IAsyncDisposable
{
    readonly IConnection _connection;
    readonly IChannel _channel;
    readonly SortedSet<ulong> _held = [];

    ErrorQueueSession(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public static async Task<ErrorQueueSession> OpenAsync(BrokerSettings settings, CancellationToken cancellationToken)
    {
        var connection = await settings.CreateConnectionFactory().CreateConnectionAsync(cancellationToken);
        try
        {
            var options = new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true);
            return new ErrorQueueSession(connection, await connection.CreateChannelAsync(options, cancellationToken));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Takes, in queue order, the messages that are in each queue now (not those arriving meanwhile, so a message that
    /// fails again while being re-driven is not taken twice) and holds them unacknowledged.
    /// </summary>
    public async Task<IReadOnlyList<HeldMessage>> TakeAsync(IEnumerable<string> errorQueues, CancellationToken cancellationToken)
    {
        var taken = new List<HeldMessage>();
        foreach (var queue in errorQueues)
        {
            var present = await _channel.MessageCountAsync(queue, cancellationToken);
            for (var i = 0; i < present; i++)
            {
                if (await _channel.BasicGetAsync(queue, autoAck: false, cancellationToken) is not { } result)
                    break;

                _held.Add(result.DeliveryTag);
                var body = result.Body.ToArray();
                taken.Add(new HeldMessage(result.DeliveryTag, DeadLetterReader.Read(queue, result.BasicProperties, body), result.BasicProperties, body));
            }
        }

        return taken;
    }

    /// <summary>
    /// Publishes the message, same body, properties and MessageId, to its source queue (default exchange, mandatory) and
    /// waits for the broker's confirm. MassTransit's fault headers and the redelivery counter are left out: the message
    /// goes back as it was first sent and gets its endpoint's full retry policy again. With the operator key its
    /// signature is replaced by the operator's, made now in the name of <paramref name="original"/>; without, it keeps the
    /// sender's (refused once older than the receivers' replay window).
    /// </summary>
    /// <exception cref="RabbitMQ.Client.Exceptions.PublishException">The broker returned the message (no such queue) or nacked it.</exception>
    internal async Task RepublishAsync(HeldMessage message, OperatorKey? operatorKey, OriginalSigner original, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // The verdict of a verifier that refused it is no part of the message.
        var headers = message.Properties.Headers?
            .Where(x => !IsFaultHeader(x.Key) && !x.Key.Equals(MessageSignature.RejectedHeader, StringComparison.OrdinalIgnoreCase)
                        && (operatorKey is null || !IsSignatureHeader(x.Key)))
            .ToDictionary(x => x.Key, x => x.Value) ?? [];
        if (operatorKey is not null)
        {
            var messageId = Guid.TryParse(message.Letter.Id, out var id) ? id : (Guid?)null;
            foreach (var (key, value) in operatorKey.Sign(messageId, message.Letter.MessageTypes, message.Body, original, now))
                headers[key] = value;
        }

        var properties = new BasicProperties(message.Properties) { Headers = headers };
        await _channel.BasicPublishAsync("", message.Letter.SourceQueue, mandatory: true, properties, message.Body, cancellationToken);
    }

    /// <summary>Removes the message from its error queue for good.</summary>
    public async Task AcknowledgeAsync(HeldMessage message, CancellationToken cancellationToken)
    {
        await _channel.BasicAckAsync(message.DeliveryTag, multiple: false, cancellationToken);
        _held.Remove(message.DeliveryTag);
    }

    /// <summary>Gives every message still held back to its queue, at its original position.</summary>
    public async Task RequeueHeldAsync(CancellationToken cancellationToken)
    {
        if (_held.Count == 0)
            return;

        // Every unacknowledged delivery up to the highest held one is exactly the held set.
        await _channel.BasicNackAsync(_held.Max, multiple: true, requeue: true, cancellationToken);
        _held.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the channel requeues whatever is still held, even after a failure.
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    static bool IsSignatureHeader(string key) =>
        key.StartsWith(MessageSignature.SignatureHeader, StringComparison.OrdinalIgnoreCase)
        || key.Equals(MessageSignature.SignerHeader, StringComparison.OrdinalIgnoreCase)
        || key.Equals(MessageSignature.SignedAtHeader, StringComparison.OrdinalIgnoreCase)
        || key.StartsWith("Shop-Original-", StringComparison.OrdinalIgnoreCase);

    static bool IsFaultHeader(string key) =>
        key.StartsWith(FaultHeaders.Prefix, StringComparison.OrdinalIgnoreCase)
        || key.StartsWith(FaultHeaders.HostPrefix, StringComparison.OrdinalIgnoreCase)
        || key.Equals(FaultHeaders.Reason, StringComparison.OrdinalIgnoreCase)
        || key.Equals(FaultHeaders.RedeliveryCount, StringComparison.OrdinalIgnoreCase);
}

/// <summary>A message taken from an error queue and not yet acknowledged.</summary>
public sealed record HeldMessage(ulong DeliveryTag, DeadLetter Letter, IReadOnlyBasicProperties Properties, byte[] Body);
