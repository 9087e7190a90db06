using System.Diagnostics;
using RabbitMQ.Client;

namespace Shop.Bench.Raw;

/// <summary>The broker's own ceiling: persistent 600-byte messages with publisher confirms, 4 × 125 in flight.</summary>
public static class RawBroker
{
    /// <summary>The broker at <c>host</c> or <c>host:port</c> (a cluster's proxy, scripts/rabbitmq-cluster.sh).</summary>
    public static ConnectionFactory Factory(BenchSettings settings)
    {
        var endpoint = AmqpTcpEndpoint.Parse(settings.RabbitHost);
        return new()
        {
            HostName = endpoint.HostName,
            Port = endpoint.Port,
            UserName = settings.RabbitUser,
            Password = settings.RabbitPassword,
            VirtualHost = settings.RabbitVirtualHost,
        };
    }

    /// <summary>A channel that awaits each publish's confirm.</summary>
    public static Task<IChannel> CreateConfirmingChannel(IConnection connection) =>
        connection.CreateChannelAsync(new CreateChannelOptions(true, true, outstandingPublisherConfirmationsRateLimiter: null));

    public static async Task<double> PublishRate(BenchSettings settings, int messages)
    {
        await using var connection = await Factory(settings).CreateConnectionAsync();
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
            await using var channel = await CreateConfirmingChannel(connection);
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
}
