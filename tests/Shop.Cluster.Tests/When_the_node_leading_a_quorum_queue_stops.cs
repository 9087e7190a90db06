using System.Text;
using MassTransit;
using RabbitMQ.Client;
using Shop.Messaging.Configuration;

namespace Shop.Cluster.Tests;

public sealed class When_the_node_leading_a_quorum_queue_stops
{
    const string Queue = "cluster-order-state";
    const int Messages = 200;

    public sealed record Ping(Guid Id);

    [Fact]
    public async Task Should_keep_every_message_it_confirmed()
    {
        await using var cluster = await Cluster.CreateVirtualHostAsync("shop-cluster-leader");
        await DeclareAsTheServicesDo(cluster);

        var queue = await cluster.QueueAsync(Queue) ?? throw new InvalidOperationException($"{Queue} was not declared");
        Assert.Equal("quorum", queue.GetProperty("type").GetString());
        var leader = queue.GetProperty("leader").GetString()!;

        var factory = cluster.Factory();
        var confirmed = new HashSet<string>();
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            for (var i = 0; i < Messages; i++)
            {
                var id = Guid.NewGuid().ToString("N");
                // Awaits the publisher confirm: the message is on a majority of the queue's members.
                await channel.BasicPublishAsync("", Queue, true, new BasicProperties { MessageId = id, Persistent = true }, Encoding.UTF8.GetBytes(id));
                confirmed.Add(id);
            }
        }

        await Cluster.StopNodeAsync(Cluster.NodeNumber(leader));
        try
        {
            var received = await DrainThroughTheProxy(factory, Messages);

            Assert.Equal(confirmed.Order(), received.Order());
            var now = await cluster.QueueAsync(Queue);
            Assert.NotEqual(leader, now?.GetProperty("leader").GetString());
        }
        finally
        {
            await Cluster.StartNodeAsync(Cluster.NodeNumber(leader));
        }
    }

    /// <summary>
    /// A MassTransit bus with the cluster-mode setting: the durable endpoint's queue is declared as a quorum queue, the
    /// temporary endpoint's and the bus's own reply queue stay classic. Stopped before the messages are published.
    /// </summary>
    static async Task DeclareAsTheServicesDo(Cluster cluster)
    {
        bool? durableApplied = null, temporaryApplied = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(Cluster.Host, Cluster.AmqpPort, cluster.VirtualHost, host =>
            {
                host.Username(Cluster.User);
                host.Password(Cluster.Password);
            });
            rabbit.ReceiveEndpoint(Queue, endpoint =>
            {
                durableApplied = QuorumQueues.Apply(endpoint);
                endpoint.Handler<Ping>(_ => Task.CompletedTask);
            });
            rabbit.ReceiveEndpoint(new TemporaryEndpointDefinition(), DefaultEndpointNameFormatter.Instance, endpoint =>
            {
                temporaryApplied = QuorumQueues.Apply(endpoint);
                endpoint.Handler<Ping>(_ => Task.CompletedTask);
            });
        });
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        try
        {
            Assert.True(durableApplied);
            Assert.False(temporaryApplied);
            var queues = await cluster.QueuesAsync();
            var others = queues.Where(x => x.GetProperty("name").GetString() != Queue).ToList();
            Assert.NotEmpty(others);
            Assert.All(others, x => Assert.Equal("classic", x.GetProperty("type").GetString()));
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    /// <summary>Takes every message through the proxy, reconnecting while the queue elects its new leader.</summary>
    static async Task<List<string>> DrainThroughTheProxy(ConnectionFactory factory, int expected)
    {
        var received = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (received.Count < expected && DateTime.UtcNow < deadline)
        {
            try
            {
                await using var connection = await factory.CreateConnectionAsync();
                await using var channel = await connection.CreateChannelAsync();
                while (await channel.BasicGetAsync(Queue, autoAck: true) is { } message)
                    received.Add(message.BasicProperties.MessageId!);
            }
            catch (Exception exception) when (exception is RabbitMQ.Client.Exceptions.RabbitMQClientException or RabbitMQ.Client.Exceptions.OperationInterruptedException or IOException)
            {
                // no leader yet, or the proxy still tried the stopped node: again
            }

            if (received.Count < expected)
                await Task.Delay(500);
        }

        return received;
    }
}
