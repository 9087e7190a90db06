using System.Net;
using System.Net.Http.Headers;
using System.Text;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using RabbitMQ.Client.Exceptions;
using Shop.Testing;

namespace Shop.EndToEnd.Tests.Privileges;

/// <summary>
/// Each service's broker user, with the patterns the scripts grant (scripts/broker-permissions.tsv), on a virtual host
/// whose topology the operator declared as MassTransit would: publishing another service's event, reading or deleting
/// another service's queue is refused by RabbitMQ itself (403 ACCESS_REFUSED), while a service's own publishes pass.
/// </summary>
public sealed class When_a_service_reaches_for_another_services_messages : IAsyncLifetime
{
    const ushort AccessRefused = 403;
    TestVirtualHost _virtualHost = null!;

    public async Task InitializeAsync()
    {
        _virtualHost = await TestVirtualHost.CreateAsync("shop-privileges");
        await ServiceUsers.GrantAsync(_virtualHost);

        // What the services declare when they start, so that a refusal is about rights, never a missing exchange.
        await using var connection = await Factory(TestServers.RabbitMqUser, TestServers.RabbitMqPassword).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var exchange in new[] { "Shop.Contracts:OrderSubmitted", "Shop.Contracts:PaymentCaptured", "Shop.Contracts:ChargePayment", "charge-payment" })
            await channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true);
        await channel.QueueDeclareAsync("charge-payment", durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync("charge-payment", "charge-payment", "");
        await channel.ExchangeBindAsync("charge-payment", "Shop.Contracts:ChargePayment", "");
        await channel.QueueDeclareAsync("order-state", durable: true, exclusive: false, autoDelete: false);
        await channel.QueueBindAsync("order-state", "Shop.Contracts:PaymentCaptured", "");
    }

    public async Task DisposeAsync() => await _virtualHost.DisposeAsync();

    [Fact]
    public async Task Should_refuse_payments_publishing_an_order_submitted() =>
        Assert.Equal(AccessRefused, await RefusalAsync("Payments", channel => Publish(channel, "Shop.Contracts:OrderSubmitted")));

    [Fact]
    public async Task Should_refuse_orders_publishing_a_payment_captured()
    {
        Assert.Equal(AccessRefused, await RefusalAsync("Orders", channel => Publish(channel, "Shop.Contracts:PaymentCaptured")));
        Assert.Equal(0, await _virtualHost.MessagesReadyAsync("order-state"));
    }

    [Fact]
    public async Task Should_refuse_inventory_sending_a_charge_payment() =>
        Assert.Equal(AccessRefused, await RefusalAsync("Inventory", channel => Publish(channel, "Shop.Contracts:ChargePayment")));

    [Fact]
    public async Task Should_refuse_orders_reading_payments_queue() =>
        Assert.Equal(AccessRefused, await RefusalAsync("Orders",
            channel => channel.BasicConsumeAsync("charge-payment", autoAck: false, new AsyncEventingBasicConsumer(channel))));

    [Fact]
    public async Task Should_refuse_orders_deleting_or_binding_payments_queue()
    {
        Assert.Equal(AccessRefused, await RefusalAsync("Orders", channel => channel.QueueDeleteAsync("charge-payment")));
        Assert.Equal(AccessRefused, await RefusalAsync("Orders", channel => channel.QueueBindAsync("charge-payment", "Shop.Contracts:PaymentCaptured", "")));
    }

    [Fact]
    public async Task Should_refuse_payments_publishing_to_the_default_exchange()
    {
        // The default exchange reaches every queue by name: no service may write to it.
        Assert.Equal(AccessRefused, await RefusalAsync("Payments", channel => Publish(channel, "", routingKey: "order-state")));
        Assert.Equal(0, await _virtualHost.MessagesReadyAsync("order-state"));
    }

    [Fact]
    public async Task Should_let_payments_publish_a_payment_captured_and_orders_send_a_charge()
    {
        await AsService("Payments", channel => Publish(channel, "Shop.Contracts:PaymentCaptured"));
        await AsService("Orders", channel => Publish(channel, "Shop.Contracts:ChargePayment"));

        await Eventually.True(async () => await _virtualHost.MessagesReadyAsync("order-state") == 1, "the capture in order-state");
        await Eventually.True(async () => await _virtualHost.MessagesReadyAsync("charge-payment") == 1, "the charge in charge-payment");
    }

    [Fact]
    public async Task Should_tag_no_service_user_so_none_reaches_the_management_api()
    {
        foreach (var permission in ServiceUsers.BrokerPermissions)
        {
            using var client = new HttpClient { BaseAddress = TestServers.RabbitMqManagement };
            var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{permission.User}:{ServiceUsers.PasswordOf(permission.User)}"));
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);

            var response = await client.GetAsync("api/overview");

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{permission.User} reached the management API: {response.StatusCode}");
        }
    }

    ConnectionFactory Factory(string user, string password) => new()
    {
        HostName = TestServers.RabbitMqHost,
        VirtualHost = _virtualHost.Name,
        UserName = user,
        Password = password,
        AutomaticRecoveryEnabled = false,
    };

    /// <summary>Runs <paramref name="action"/> as the service's user on a confirming channel; it must succeed.</summary>
    async Task AsService(string service, Func<IChannel, Task> action)
    {
        var user = ServiceUsers.UserOf(service);
        await using var connection = await Factory(user, ServiceUsers.PasswordOf(user)).CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        await action(channel);
    }

    /// <summary>Runs <paramref name="action"/> as the service's user and returns the code the broker closed the channel with.</summary>
    async Task<ushort?> RefusalAsync(string service, Func<IChannel, Task> action)
    {
        var user = ServiceUsers.UserOf(service);
        await using var connection = await Factory(user, ServiceUsers.PasswordOf(user)).CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(true, true));
        try
        {
            await action(channel);
        }
        catch (Exception exception) when (exception is OperationInterruptedException or AlreadyClosedException or PublishException)
        {
            // the refusal, read from the close reason below
        }

        await Eventually.True(() => Task.FromResult(channel.IsClosed), $"the broker to close {user}'s channel");
        return channel.CloseReason?.ReplyCode;
    }

    static async Task Publish(IChannel channel, string exchange, string routingKey = "") =>
        await channel.BasicPublishAsync(exchange, routingKey, mandatory: false, new BasicProperties { Persistent = true },
            Encoding.UTF8.GetBytes("""{"message":{}}"""));
}
