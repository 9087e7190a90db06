namespace Shop.Messaging.Benchmark;

sealed record BenchSettings(string PostgresAdmin, string RabbitHost, string RabbitUser, string RabbitPassword)
{
    public static BenchSettings FromEnvironment() => new(
        Environment.GetEnvironmentVariable("SHOP_BENCH_POSTGRES") ?? "Host=127.0.0.1;Username=shop;Password=shop;Database=postgres",
        Environment.GetEnvironmentVariable("SHOP_BENCH_RABBITMQ_HOST") ?? "127.0.0.1",
        Environment.GetEnvironmentVariable("SHOP_BENCH_RABBITMQ_USER") ?? "shop",
        Environment.GetEnvironmentVariable("SHOP_BENCH_RABBITMQ_PASSWORD") ?? "shop");
}
