using System.Text;
using RabbitMQ.Client;

namespace Shop.Cluster.Tests;

public sealed class When_a_classic_deployment_moves_to_quorum_queues
{
    const string Queue = "charge-payment";
    const int Messages = 50;

    [Fact]
    public async Task Should_keep_every_message_and_binding()
    {
        await using var cluster = await Cluster.CreateVirtualHostAsync("shop-cluster-migrate");
        var factory = cluster.Factory();
        var sent = new List<string>();
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            // What MassTransit declared before cluster mode: a classic queue and its exchange of the same name.
            await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false);
            await channel.ExchangeDeclareAsync(Queue, ExchangeType.Fanout, durable: true);
            await channel.QueueBindAsync(Queue, Queue, "");
            for (var i = 0; i < Messages; i++)
            {
                var id = Guid.NewGuid().ToString("N");
                await channel.BasicPublishAsync(Queue, "", true, new BasicProperties { MessageId = id, Persistent = true }, Encoding.UTF8.GetBytes(id));
                sent.Add(id);
            }
        }

        await Script.RunAsync("bash", ["scripts/migrate-to-quorum.sh", "--vhost", cluster.VirtualHost, Queue]);

        Assert.Equal("quorum", (await cluster.QueueAsync(Queue))?.GetProperty("type").GetString());
        Assert.Null(await cluster.QueueAsync($"{Queue}.migrating"));
        var received = new List<string>();
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            // The exchange still routes into the queue: a message sent after the move arrives behind the others.
            var after = Guid.NewGuid().ToString("N");
            await channel.BasicPublishAsync(Queue, "", true, new BasicProperties { MessageId = after, Persistent = true }, Encoding.UTF8.GetBytes(after));
            sent.Add(after);
            while (await channel.BasicGetAsync(Queue, autoAck: true) is { } message)
                received.Add(message.BasicProperties.MessageId!);
        }

        Assert.Equal(sent.Order(), received.Order());
    }
}
