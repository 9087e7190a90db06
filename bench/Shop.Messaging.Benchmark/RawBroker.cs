using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using RabbitMQ.Client;

namespace Shop.Messaging.Benchmark;

/// <summary>The broker's own ceiling: persistent 600-byte messages with publisher confirms, 4 × 125 in flight.</summary>
static class RawBroker
{
    public static async Task<double> PublishRate(BenchSettings settings, int messages)
    {
        var factory = new ConnectionFactory { HostName = settings.RabbitHost, UserName = settings.RabbitUser, Password = settings.RabbitPassword };
        await using var connection = await factory.CreateConnectionAsync();
        const string queue = "bench-raw-publish";
        await using (var setup = await connection.CreateChannelAsync())
        {
            await setup.QueueDeleteAsync(queue);
            await setup.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        }

        var body = new byte[600];
        var properties = new BasicProperties { Persistent = true };
        var perChannel = messages / 4;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null));
            var inFlight = new List<Task>(125);
            for (var i = 0; i < perChannel; i++)
            {
                inFlight.Add(channel.BasicPublishAsync("", queue, false, properties, body).AsTask());
                if (inFlight.Count == 125)
                {
                    await Task.WhenAll(inFlight);
                    inFlight.Clear();
                }
            }

            await Task.WhenAll(inFlight);
        }));
        var rate = perChannel * 4 / stopwatch.Elapsed.TotalSeconds;

        await using (var cleanup = await connection.CreateChannelAsync())
            await cleanup.QueueDeleteAsync(queue);
        return rate;
    }

    /// <summary>
    /// Puts MassTransit envelopes (the JSON MassTransit itself writes) straight into a durable queue, so a benchmark can
    /// start its service on a full queue without spending the service's CPU on loading it.
    /// </summary>
    public static async Task Load<T>(BenchSettings settings, string queue, IEnumerable<T> messages)
        where T : class
    {
        var factory = new ConnectionFactory { HostName = settings.RabbitHost, UserName = settings.RabbitUser, Password = settings.RabbitPassword };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null));
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
}
