using System.Text;
using System.Text.Json;
using MassTransit;
using Npgsql;
using RabbitMQ.Client;
using Shop.Admin.Cli;
using Shop.Admin.Tests;
using Shop.Contracts;
using Shop.Messaging.Signing;
using Shop.Testing;
using Xunit.Abstractions;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// Issue 19: with Inventory's signing key and broker user, an envelope published to <c>Shop.Contracts:StockReserved</c>
/// whose type list hides an <see cref="OrderSubmittedV1"/> — 5 units at a total of 0.05 — behind one of Inventory's own
/// types (in another letter case, behind a fault Inventory may send, beside a type no one knows) used to start an order
/// that was charged and shipped. Now the saga's verifier refuses it as <c>wrong-sender</c> before any consumer runs: no
/// order starts, the provider records no charge, the message waits in <c>order-state_error</c> — and a re-drive cannot
/// put it back, not even when the operator names it. The same envelope signed by Orders, its sender, does start an
/// order: the refusal is the sender check's, not a malformed message.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class When_a_service_signs_what_it_may_not_send(ShopFixture shop, ITestOutputHelper log)
{
    const string SagaErrorQueue = "order-state_error";
    const string StockReservedExchange = "Shop.Contracts:StockReserved";
    const decimal AttackTotal = 0.05m;

    [Theory]
    [InlineData("an own type, and the order in another letter case", "urn:message:shop:inventory:stock-committed:v1", "urn:message:SHOP:orders:order-submitted:v1")]
    [InlineData("a fault of a command Inventory consumes", "urn:message:MassTransit:Fault[[Shop.Contracts:ReserveStock]]", "urn:message:shop:orders:order-submitted:v1")]
    [InlineData("a fault of a command Inventory does not consume", "urn:message:MassTransit:Fault[[Shop.Contracts:ChargePayment]]", "urn:message:shop:orders:order-submitted:v1")]
    [InlineData("an own type beside one no one knows", "urn:message:shop:inventory:stock-reserved:v1", "urn:message:Shop.Contracts:OrderSubmittedV1")]
    public async Task Should_start_no_order_charge_nothing_and_keep_it_out_of_any_redrive(string decoy, string first, string second)
    {
        log.WriteLine($"Decoy: {decoy}");
        var admin = new AdminTool(shop.VirtualHost);
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 10);
        var orderId = Guid.NewGuid();

        var messageId = await PublishAsInventoryAsync(Submitted(orderId, sku), [first, second], MessageSenders.Inventory);

        var rejected = await Eventually.Value(async () => (await admin.ListAsync("--order", orderId.ToString())).SingleOrDefault(),
            $"the hidden order {orderId} in {SagaErrorQueue}");
        Assert.Equal((messageId.ToString(), SagaErrorQueue), (rejected.Id, rejected.ErrorQueue));
        Assert.StartsWith("Message rejected (wrong-sender)", rejected.Reason);
        Assert.Equal("wrong-sender", await RejectedHeaderAsync(admin, messageId));

        // The verdict came before every consumer: no saga instance, no charge at the provider.
        await Consistently.True(async () => await SagaRowsAsync(orderId) == 0, $"no saga instance for order {orderId}");
        Assert.Equal(0, await SagaRowsAsync(orderId));
        Assert.Empty(await shop.Provider.ChargesOfAsync(orderId));

        // A routine re-drive leaves it, and so does naming it: no one service may send that type list.
        var all = await admin.RunAsync("errors", "redrive", "--order", orderId.ToString());
        Assert.True(all.ExitCode == ExitCodes.PartlyFailed, all.ToString());
        Assert.Contains($"{messageId}  order-state  wrong-sender: ", all.Output);
        var named = await admin.RunAsync("errors", "redrive", "--message-id", messageId.ToString());
        Assert.True(named.ExitCode == ExitCodes.PartlyFailed, named.ToString());
        Assert.Contains("so it can never go back", named.Output);
        Assert.Equal(messageId.ToString(), Assert.Single(await admin.ListAsync("--order", orderId.ToString())).Id);
        await Consistently.True(async () => await SagaRowsAsync(orderId) == 0, $"still no saga instance for order {orderId}");
        Assert.Empty(await shop.Provider.ChargesOfAsync(orderId));

        await admin.RunAsync("errors", "discard", "--order", orderId.ToString(), "--yes");
    }

    [Fact]
    public async Task Should_start_the_order_when_its_sender_signs_the_same_envelope()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 10);
        var orderId = Guid.NewGuid();

        await PublishAsInventoryAsync(Submitted(orderId, sku), [MessageUrn.ForTypeString<OrderSubmittedV1>()], MessageSenders.Orders);

        await Eventually.True(async () => await SagaRowsAsync(orderId) == 1, $"the saga to start order {orderId}");
    }

    static OrderSubmittedV1 Submitted(Guid orderId, string sku) => new(orderId, ShopFixture.Customer, "attacker@example.test",
        [new OrderLine(sku, 5, 0.01m)], AttackTotal, "tok_visa", new ShippingAddress("1 Main St", "Berlin", "10115", "DE"), DateTimeOffset.UtcNow);

    /// <summary>
    /// A MassTransit envelope carrying <paramref name="message"/> under the type list given, signed with
    /// <paramref name="signer"/>'s key, published as Inventory's broker user to the exchange of its StockReserved.
    /// </summary>
    async Task<Guid> PublishAsInventoryAsync(OrderSubmittedV1 message, string[] messageTypes, string signer)
    {
        var messageId = NewId.NextGuid();
        var body = JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId,
            messageType = messageTypes,
            message,
            sentTime = DateTimeOffset.UtcNow,
            headers = new Dictionary<string, object>(),
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var key = TestSigningKeys.For(signer);
        var fields = new SignedFields(signer, key.KeyId, MessageSignature.FormatTime(DateTimeOffset.UtcNow), messageId, string.Join(";", messageTypes));

        var user = ServiceUsers.UserOf("Inventory");
        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitMqHost,
            VirtualHost = shop.VirtualHost.Name,
            UserName = user,
            Password = ServiceUsers.PasswordOf(user),
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var properties = new BasicProperties
        {
            MessageId = messageId.ToString(),
            ContentType = "application/vnd.masstransit+json",
            Persistent = true,
            Headers = new Dictionary<string, object?>
            {
                [MessageSignature.SignatureHeader] = Encoding.UTF8.GetBytes(MessageSignature.Sign(key.Key, fields, body)),
                [MessageSignature.SignerHeader] = Encoding.UTF8.GetBytes(signer),
                [MessageSignature.KeyIdHeader] = Encoding.UTF8.GetBytes(key.KeyId),
                [MessageSignature.SignedAtHeader] = Encoding.UTF8.GetBytes(fields.SignedAt),
            },
        };
        await channel.BasicPublishAsync(StockReservedExchange, "", mandatory: true, properties, body);
        return messageId;
    }

    static async Task<string?> RejectedHeaderAsync(AdminTool admin, Guid messageId)
    {
        var run = await admin.RunAsync("errors", "show", messageId.ToString(), "--json");
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        return json.RootElement[0].GetProperty("headers").GetProperty(MessageSignature.RejectedHeader).GetString();
    }

    async Task<long> SagaRowsAsync(Guid orderId)
    {
        await using var connection = new NpgsqlConnection(shop.OrdersDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT count(*) FROM "OrderState" WHERE "CorrelationId" = @id""", connection);
        command.Parameters.AddWithValue("id", orderId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
