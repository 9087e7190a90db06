using System.Text;
using RabbitMQ.Client;

namespace Shop.Cluster.Tests;

public sealed class When_a_message_keeps_crashing_its_consumer
{
    const string Queue = "poison-orders";
    const int DeliveryLimit = 3;

    [Fact]
    public async Task Should_be_dead_lettered_into_its_error_queue_at_the_delivery_limit()
    {
        await using var cluster = await Cluster.CreateVirtualHostAsync("shop-cluster-poison");
        // The policies of scripts/broker-policies.sh, for one endpoint queue named as the permissions file names them.
        var permissions = Path.GetTempFileName();
        await File.WriteAllTextAsync(permissions, $"shop_poison\t^(({Queue})(_error|_skipped)?)$\t.*\t.*\n");
        try
        {
            await cluster.SetPoliciesAsync(permissions, DeliveryLimit);
        }
        finally
        {
            File.Delete(permissions);
        }

        var factory = cluster.Factory();
        var id = Guid.NewGuid().ToString("N");
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true)))
        {
            await channel.QueueDeclareAsync(Queue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" });
            await WaitForThePolicy(cluster);
            await channel.BasicPublishAsync("", Queue, true, new BasicProperties { MessageId = id, Persistent = true }, Encoding.UTF8.GetBytes("poison"));
        }

        // A consumer that dies with the message in hand: taken without an ack, then the connection is gone.
        var deliveries = 0;
        BasicGetResult? dead = null;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (dead is null && DateTime.UtcNow < deadline)
        {
            await using (var connection = await factory.CreateConnectionAsync())
            {
                await using var channel = await connection.CreateChannelAsync();
                if (await channel.BasicGetAsync(Queue, autoAck: false) is { } message)
                {
                    Assert.Equal(id, message.BasicProperties.MessageId);
                    deliveries++;
                }

                dead = await channel.BasicGetAsync($"{Queue}_error", autoAck: true);
                await connection.CloseAsync();
            }

            if (dead is null)
                await Task.Delay(200);
        }

        Assert.NotNull(dead);
        Assert.Equal(id, dead.BasicProperties.MessageId);
        Assert.InRange(deliveries, DeliveryLimit, DeliveryLimit + 1);
    }

    static async Task WaitForThePolicy(Cluster cluster)
    {
        // The management API shows a queue's effective policy from its statistics, refreshed every few seconds and later
        // on a busy machine: wait for a deadline, not a number of attempts.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            var queue = await cluster.QueueAsync(Queue);
            if (queue?.TryGetProperty("effective_policy_definition", out var definition) == true
                && definition.ValueKind == System.Text.Json.JsonValueKind.Object && definition.TryGetProperty("delivery-limit", out _))
                return;
            await Task.Delay(200);
        }

        throw new InvalidOperationException($"the policy shop-endpoint-{Queue} never applied to {Queue}");
    }
}
