namespace Shop.Testing;

/// <summary>
/// Where the real test servers are: the PostgreSQL and RabbitMQ that <c>scripts/test.sh</c> starts on 127.0.0.1.
/// Override with SHOP_TEST_POSTGRES, SHOP_TEST_RABBITMQ_HOST, SHOP_TEST_RABBITMQ_USER, SHOP_TEST_RABBITMQ_PASSWORD,
/// SHOP_TEST_RABBITMQ_MANAGEMENT. The defaults are local development credentials only.
/// </summary>
public static class TestServers
{
    public static string PostgresAdminConnectionString =>
        Environment.GetEnvironmentVariable("SHOP_TEST_POSTGRES")
        ?? "Host=127.0.0.1;Port=5432;Username=shop;Password=shop;Database=postgres;Pooling=false";

    public static string RabbitMqHost => Environment.GetEnvironmentVariable("SHOP_TEST_RABBITMQ_HOST") ?? "127.0.0.1";
    public static string RabbitMqUser => Environment.GetEnvironmentVariable("SHOP_TEST_RABBITMQ_USER") ?? "shop";
    public static string RabbitMqPassword => Environment.GetEnvironmentVariable("SHOP_TEST_RABBITMQ_PASSWORD") ?? "shop";

    public static Uri RabbitMqManagement =>
        new(Environment.GetEnvironmentVariable("SHOP_TEST_RABBITMQ_MANAGEMENT") ?? "http://127.0.0.1:15672/");
}
