using System.Text;
using RabbitMQ.Client;
using Shop.Testing;

namespace Shop.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_operator_discards_a_dead_letter(ConsoleFixture shop)
{
    [Fact]
    public async Task Should_remove_only_that_message_after_the_confirmation_and_audit_it()
    {
        // A throwaway message of no order, and one beside it in the same queue that must stay.
        var queue = $"console-discard-{Guid.NewGuid():N}_error";
        var (throwaway, kept) = (Guid.NewGuid(), Guid.NewGuid());
        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitMqHost,
            VirtualHost = shop.VirtualHost.Name,
            UserName = TestServers.RabbitMqUser,
            Password = TestServers.RabbitMqPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        foreach (var id in new[] { throwaway, kept })
        {
            await channel.BasicPublishAsync("", queue, mandatory: true, new BasicProperties { MessageId = id.ToString(), Persistent = true },
                Encoding.UTF8.GetBytes("""{"message":{"note":"no order here"}}"""));
        }

        try
        {
            var page = await shop.SignedInPageAsync();
            await page.GotoAsync(new Uri(shop.ConsoleAddress, $"/operations/new?action=discard&queue={queue}&messageId={throwaway}").ToString());
            Assert.Equal(1, await page.Locator($"tr[data-message=\"{throwaway}\"]").CountAsync());
            Assert.Contains("no order", await page.Locator("#impact").InnerTextAsync(), StringComparison.Ordinal);
            await page.Locator("form#confirm button[type=submit]").ClickAsync();

            await page.WaitForURLAsync(url => url.Contains("/operations/", StringComparison.Ordinal) && !url.Contains("/new", StringComparison.Ordinal));
            Assert.Equal("discarded", await page.Locator($"tr[data-message=\"{throwaway}\"]").GetAttributeAsync("data-result"));
            Assert.Contains("1 message discarded", await page.Locator("#summary").InnerTextAsync(), StringComparison.Ordinal);
            await page.Context.DisposeAsync();

            // Only the confirmed message is gone; the other one is still there, and the audit says who discarded what.
            var left = await channel.BasicGetAsync(queue, autoAck: true);
            Assert.Equal(kept.ToString(), left?.BasicProperties.MessageId);
            Assert.Null(await channel.BasicGetAsync(queue, autoAck: true));
            Assert.Equal("discarded", await shop.ConsoleDatabase.ScalarAsync<string>(
                $"SELECT \"Result\" FROM \"OperatorActions\" WHERE \"MessageId\" = '{throwaway}' AND \"Action\" = 'discard' AND \"Queue\" = '{queue}'"));
        }
        finally
        {
            await channel.QueueDeleteAsync(queue);
        }
    }
}
