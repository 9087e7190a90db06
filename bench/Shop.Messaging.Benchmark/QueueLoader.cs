using System.Text.Json;
using MassTransit;
using RabbitMQ.Client;
using Shop.Bench.Raw;

namespace Shop.Messaging.Benchmark;

/// <summary>
/// Puts MassTransit envelopes (the JSON MassTransit itself writes) straight into a durable queue, so a benchmark can
/// start its service on a full queue without spending the service's CPU on loading it.
/// </summary>
static class QueueLoader
{
    public static async Task Load<T>(BenchSettings settings, string queue, IEnumerable<T> messages)
        where T : class
    {
        await using var connection = await RawBroker.Factory(settings).CreateConnectionAsync();
        await using var channel = await RawBroker.CreateConfirmingChannel(connection);
        await channel.QueueDeleteAsync(queue);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);

        var properties = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json" };
        string[] messageType = [MessageUrn.ForTypeString<T>()];
        var inFlight = new List<Task>(125);
        foreach (var message in messages)
        {
            var envelope = new { messageId = NewId.NextGuid(), messageType, message };
            var body = JsonSerializer.SerializeToUtf8Bytes(envelope, JsonSerializerOptions.Web);
            inFlight.Add(channel.BasicPublishAsync("", queue, false, properties, body).AsTask());
            if (inFlight.Count == 125)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }

    /// <summary>One message into an existing queue, confirmed.</summary>
    public static async Task Publish<T>(BenchSettings settings, string queue, T message)
        where T : class
    {
        _connection ??= await RawBroker.Factory(settings).CreateConnectionAsync();
        _channel ??= await RawBroker.CreateConfirmingChannel(_connection);
        var properties = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json" };
        var envelope = new { messageId = NewId.NextGuid(), messageType = new[] { MessageUrn.ForTypeString<T>() }, message };
        await _channel.BasicPublishAsync("", queue, false, properties, JsonSerializer.SerializeToUtf8Bytes(envelope, JsonSerializerOptions.Web));
    }

    static IConnection? _connection;
    static IChannel? _channel;
}
