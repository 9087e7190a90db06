using RabbitMQ.Client;
using Shop.Admin.Cli;
using Shop.Testing;

namespace Shop.Admin.Tests;

public sealed class When_the_original_queue_is_gone : ErrorQueueTest
{
    [Fact]
    public async Task Should_keep_the_message_in_the_error_queue()
    {
        var messageId = Assert.Single(await FailAsync(Guid.NewGuid()));
        await Payments.DisposeAsync();
        await DeleteQueueAsync(PaymentEndpoint.Queue);

        var run = await Tool.RunAsync("errors", "redrive", "--all");

        Assert.Equal(ExitCodes.PartlyFailed, run.ExitCode);
        Assert.Contains("Moved 0 of 1 message back to its queue.", run.Output);
        Assert.Contains("Still in the error queue:", run.Output);
        Assert.Equal(messageId.ToString(), Assert.Single(await Tool.ListAsync()).Id);
    }

    async Task DeleteQueueAsync(string queue)
    {
        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitMqHost,
            VirtualHost = VirtualHost.Name,
            UserName = TestServers.RabbitMqUser,
            Password = TestServers.RabbitMqPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(queue);
    }
}
