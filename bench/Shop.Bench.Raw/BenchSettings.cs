namespace Shop.Bench.Raw;

/// <summary>Where the benchmarks find the servers; the defaults are the local development ones of scripts/infra-up.sh.</summary>
public sealed record BenchSettings(string PostgresAdmin, string RabbitHost, string RabbitUser, string RabbitPassword, string RabbitVirtualHost = "/")
{
    public static BenchSettings FromEnvironment() => new(
        // Loopback, no TLS: as scripts/local-up.sh runs the services.
        Environment.GetEnvironmentVariable("SHOP_BENCH_POSTGRES") ?? "Host=127.0.0.1;Username=shop;Password=shop;Database=postgres;SSL Mode=Disable",
        Environment.GetEnvironmentVariable("SHOP_BENCH_RABBITMQ_HOST") ?? "127.0.0.1",
        Environment.GetEnvironmentVariable("SHOP_BENCH_RABBITMQ_USER") ?? "shop",
        Environment.GetEnvironmentVariable("SHOP_BENCH_RABBITMQ_PASSWORD") ?? "shop");
}
