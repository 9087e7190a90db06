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

        var inFlight = new List<Task>(125);
        foreach (var message in messages)
        {
            inFlight.Add(channel.BasicPublishAsync("", queue, false, Properties, Envelope(message)).AsTask());
            if (inFlight.Count == 125)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }

    static readonly BasicProperties Properties = new() { Persistent = true, ContentType = "application/vnd.masstransit+json" };

    static byte[] Envelope<T>(T message)
        where T : class =>
        JsonSerializer.SerializeToUtf8Bytes(new { messageId = NewId.NextGuid(), messageType = new[] { MessageUrn.ForTypeString<T>() }, message },
            JsonSerializerOptions.Web);

    public static async Task<Publisher> Connect(BenchSettings settings)
    {
        var connection = await RawBroker.Factory(settings).CreateConnectionAsync();
        return new Publisher(connection, await RawBroker.CreateConfirmingChannel(connection));
    }

    /// <summary>Publishes single MassTransit envelopes into existing queues, each confirmed.</summary>
    public sealed class Publisher(IConnection connection, IChannel channel) : IAsyncDisposable
    {
        public async Task Publish<T>(string queue, T message)
            where T : class
        {
            await channel.BasicPublishAsync("", queue, false, Properties, Envelope(message));
        }

        public async ValueTask DisposeAsync()
        {
            await channel.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}
