using RabbitMQ.Client;
using Shop.Bench.Raw;

namespace Shop.LoadTest;

/// <summary>
/// A burst of duplicate deliveries: a private queue bound to every exchange the services publish and send through
/// copies real messages as they flow; once enough are caught (or 30 s passed) the queue is deleted and each copy is
/// published again to the exchange it came from, byte for byte with the same properties (message_id included). Every
/// receiver's inbox must drop them: the invariant audit afterwards proves nothing happened twice.
/// </summary>
static class DuplicateBurst
{
    static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    sealed record Copy(string Exchange, string RoutingKey, BasicProperties Properties, ReadOnlyMemory<byte> Body);

    public static async Task<bool> Run(BenchSettings settings, RabbitManagement management, int count)
    {
        var exchanges = (await management.Exchanges(settings.RabbitVirtualHost))
            .Where(x => !x.EndsWith("_error", StringComparison.Ordinal) && !x.EndsWith("_skipped", StringComparison.Ordinal)
                && !x.Contains("_bus_", StringComparison.Ordinal) && !x.StartsWith("MassTransit:Fault", StringComparison.Ordinal))
            .ToList();
        if (exchanges.Count == 0)
        {
            Console.Error.WriteLine($"duplicates: no exchanges in vhost '{settings.RabbitVirtualHost}' (are the services running?)");
            return false;
        }

        var factory = RawBroker.Factory(settings);
        factory.ClientProvidedName = "shop-loadtest-duplicates";
        await using var connection = await factory.CreateConnectionAsync();
        var copies = await Capture(connection, exchanges, count);

        await using var channel = await RawBroker.CreateConfirmingChannel(connection);
        foreach (var copy in copies)
            await channel.BasicPublishAsync(copy.Exchange, copy.RoutingKey, false, copy.Properties, copy.Body);

        var byExchange = copies.GroupBy(x => x.Exchange).Select(x => $"{x.Key} {x.Count()}");
        Console.WriteLine($"duplicates: re-published {copies.Count} messages with their original message ids ({string.Join(", ", byExchange)})");
        return copies.Count > 0;
    }

    static async Task<List<Copy>> Capture(IConnection connection, IReadOnlyList<string> exchanges, int count)
    {
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var exchange in exchanges)
            await channel.QueueBindAsync(queue, exchange, "");

        var copies = new List<Copy>(count);
        var deadline = DateTimeOffset.UtcNow + MaxWait;
        while (copies.Count < count && DateTimeOffset.UtcNow < deadline)
        {
            if (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
                copies.Add(new Copy(message.Exchange, message.RoutingKey, new BasicProperties(message.BasicProperties), message.Body.ToArray()));
            else
                await Task.Delay(50);
        }

        // Deleted before the copies go out, so they do not land here again.
        await channel.QueueDeleteAsync(queue);
        return copies;
    }
}
