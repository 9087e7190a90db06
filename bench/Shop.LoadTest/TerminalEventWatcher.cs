using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Shop.Bench.Raw;

namespace Shop.LoadTest;

/// <summary>
/// Listens to OrderCompleted/OrderCancelled on the services' vhost through a private, non-durable queue bound to the
/// exchanges MassTransit publishes them to, and ends the tracked order with the saga's own timestamp. A best-effort
/// accelerator: what it misses (broker restarts, the tool starting late) the tracker's polling finds.
/// </summary>
sealed class TerminalEventWatcher(OrderTracker tracker) : IAsyncDisposable
{
    static readonly (string Exchange, string Status, string TimeField)[] Events =
    [
        ("Shop.Contracts:OrderCompleted", "Completed", "completedAt"),
        ("Shop.Contracts:OrderCancelled", "Cancelled", "cancelledAt"),
    ];

    IConnection? _connection;
    IChannel? _channel;

    public int Received { get; private set; }

    public async Task Start(BenchSettings settings)
    {
        var factory = RawBroker.Factory(settings);
        factory.ClientProvidedName = "shop-loadtest-watcher";
        _connection = await factory.CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync();
        var queue = (await _channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var (exchange, _, _) in Events)
        {
            // MassTransit declares its publish exchanges durable fanout; declaring the same is a no-op if it exists.
            await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
            await _channel.QueueBindAsync(queue, exchange, "");
        }

        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            Handle(delivery);
            return Task.CompletedTask;
        };
        await _channel.BasicConsumeAsync(queue, autoAck: true, consumer);
    }

    void Handle(BasicDeliverEventArgs delivery)
    {
        var (_, status, timeField) = Events.FirstOrDefault(x => x.Exchange == delivery.Exchange);
        if (status is null)
            return;
        using var envelope = JsonDocument.Parse(delivery.Body);
        var message = envelope.RootElement.GetProperty("message");
        var reason = message.TryGetProperty("reason", out var value) ? value.GetString() : null;
        tracker.Finish(message.GetProperty("orderId").GetGuid(), status, reason, message.GetProperty(timeField).GetDateTimeOffset());
        Received++;
    }

    /// <summary>Stops watching; safe to call again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
            await _channel.DisposeAsync();
        if (_connection is not null)
            await _connection.DisposeAsync();
        (_channel, _connection) = (null, null);
    }
}
