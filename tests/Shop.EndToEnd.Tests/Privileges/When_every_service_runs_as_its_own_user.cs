using System.Text;
using RabbitMQ.Client;
using Shop.Testing;

namespace Shop.EndToEnd.Tests.Privileges;

/// <summary>
/// The shop of every end-to-end scenario runs with no operator rights anywhere (<see cref="ShopFixture"/>): each
/// service logs in to RabbitMQ as its own user and to PostgreSQL as its own runtime role, allowed the rows of its database
/// only. What that takes beyond an order going through: the migrations ran as the database's migration identity, and a
/// dead letter needs no more rights.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class When_every_service_runs_as_its_own_user(ShopFixture shop)
{
    [Fact]
    public async Task Should_have_created_the_orders_tables_as_its_migration_identity_not_its_runtime_role()
    {
        var owners = await shop.OrdersDatabase.ScalarAsync<string>(
            "SELECT string_agg(DISTINCT tableowner, ',') FROM pg_tables WHERE schemaname = 'public'");
        var runtimeOwns = await shop.OrdersDatabase.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = '{ServiceUsers.UserOf("Orders")}')");

        Assert.Equal(ServiceUsers.MigratorOf("Orders"), owners);
        Assert.Equal(0, runtimeOwns);
    }

    [Fact]
    public async Task Should_complete_an_order_as_the_service_users()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 2);

        var orderId = await shop.SubmitOrderAsync(sku);

        var order = await shop.WaitForFinalStatusAsync(orderId);
        Assert.True(order.Status == "Completed", $"{order.Status} {order.CancellationReason}: {string.Join(" | ",
            (await shop.GetHistoryAsync(orderId)).Entries.Select(x => $"{x.Kind} {x.Name} {x.Detail}"))}");
        Assert.Single(await shop.WaitForNotificationsAsync(orderId));
    }

    [Fact]
    public async Task Should_dead_letter_a_message_it_cannot_read_with_its_own_rights()
    {
        // Unreadable: Payments moves it to charge-payment_error and publishes a ReceiveFault, both as shop_payments.
        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitMqHost,
            VirtualHost = shop.VirtualHost.Name,
            UserName = TestServers.RabbitMqUser,
            Password = TestServers.RabbitMqPassword,
        };
        var before = await shop.VirtualHost.MessagesReadyAsync("charge-payment_error");
        await using (var connection = await factory.CreateConnectionAsync())
        await using (var channel = await connection.CreateChannelAsync())
        {
            var body = """{"messageType":["urn:message:shop:payments:charge-payment:v1"],"message":{"orderId":"not-a-guid"}}""";
            await channel.BasicPublishAsync("Shop.Contracts:ChargePayment", "", mandatory: false,
                new BasicProperties { ContentType = "application/vnd.masstransit+json", MessageId = Guid.NewGuid().ToString() },
                Encoding.UTF8.GetBytes(body));
        }

        await Eventually.True(async () => await shop.VirtualHost.MessagesReadyAsync("charge-payment_error") > before,
            "the unreadable ChargePayment in charge-payment_error", TimeSpan.FromSeconds(60));
    }
}
