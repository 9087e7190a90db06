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
    public static async Task Load<T>(BenchSettings settings, string queue, IEnumerable<T> messages, bool signed)
        where T : class
    {
        await using var connection = await RawBroker.Factory(settings).CreateConnectionAsync();
        await using var channel = await RawBroker.CreateConfirmingChannel(connection);
        await channel.QueueDeleteAsync(queue);
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);

        var inFlight = new List<Task>(125);
        foreach (var message in messages)
        {
            var (properties, body) = Envelope(message, signed);
            inFlight.Add(channel.BasicPublishAsync("", queue, false, properties, body).AsTask());
            if (inFlight.Count == 125)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }

    static readonly BasicProperties Properties = new() { Persistent = true, ContentType = "application/vnd.masstransit+json" };

    /// <summary>The envelope and its properties; signed as the bench service would sign it when <paramref name="signed"/>.</summary>
    static (BasicProperties, byte[]) Envelope<T>(T message, bool signed)
        where T : class
    {
        var messageId = NewId.NextGuid();
        var messageType = MessageUrn.ForTypeString<T>();
        var body = JsonSerializer.SerializeToUtf8Bytes(new { messageId, messageType = new[] { messageType }, message }, JsonSerializerOptions.Web);
        if (!signed)
            return (Properties, body);
        return (new BasicProperties(Properties) { Headers = BenchSigning.Headers(body, messageId, messageType) }, body);
    }

    public static async Task<Publisher> Connect(BenchSettings settings, bool signed)
    {
        var connection = await RawBroker.Factory(settings).CreateConnectionAsync();
        return new Publisher(connection, await RawBroker.CreateConfirmingChannel(connection), signed);
    }

    /// <summary>Publishes single MassTransit envelopes into existing queues, each confirmed.</summary>
    public sealed class Publisher(IConnection connection, IChannel channel, bool signed) : IAsyncDisposable
    {
        public async Task Publish<T>(string queue, T message)
            where T : class
        {
            var (properties, body) = Envelope(message, signed);
            await channel.BasicPublishAsync("", queue, false, properties, body);
        }

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
