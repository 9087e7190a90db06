using Shop.Bench.Raw;

namespace Shop.LoadTest;

/// <summary>This machine's raw rates, measured in a throwaway vhost and database (deleted afterwards).</summary>
sealed record CeilingRates(double BrokerMessagesPerSecond, double DatabaseCommitsPerSecond)
{
    const string VirtualHost = "shop-bench-ceiling";
    const string Database = "shop_bench_ceiling";
    const int DatabaseConnections = 4;

    public static async Task<CeilingRates> Measure(BenchSettings settings, RabbitManagement management, int messages)
    {
        await management.CreateVirtualHost(VirtualHost);
        double broker;
        try
        {
            broker = await RawBroker.PublishRate(settings with { RabbitVirtualHost = VirtualHost }, messages);
        }
        finally
        {
            await management.DeleteVirtualHost(VirtualHost);
        }

        double database;
        try
        {
            database = await RawDatabase.CommitRate(settings, messages / 2, DatabaseConnections, Database);
        }
        finally
        {
            await BenchDatabase.Drop(settings, Database);
        }

        return new CeilingRates(broker, database);
    }

    /// <summary>Orders/s the broker and the database could carry at this many messages and commits per order.</summary>
    public double OrdersPerSecond(double messagesPerOrder, double commitsPerOrder) =>
        Math.Min(BrokerMessagesPerSecond / messagesPerOrder, DatabaseCommitsPerSecond / commitsPerOrder);
}
