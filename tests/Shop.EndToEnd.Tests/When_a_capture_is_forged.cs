using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Npgsql;
using Shop.Admin.Cli;
using Shop.Admin.Tests;
using Shop.Contracts;
using Shop.Messaging.Signing;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

/// <summary>
/// Someone with access to the broker publishes <see cref="PaymentCaptured"/> for an order whose charge the provider
/// never answers: unsigned, forged, replayed and from the wrong service. The saga never sees one of them — each lands
/// in its <c>_error</c> queue with the reason — and the order ends as the provider's real answer says. Re-driven by the
/// operator (re-signed with the operator key), the replayed one is accepted.
/// </summary>
[Collection(ShopCollection.Name)]
public sealed class When_a_capture_is_forged(ShopFixture shop)
{
    const string SagaErrorQueue = "order-state_error";

    [Fact]
    public async Task Should_reject_each_false_capture_into_the_saga_s_error_queue_and_end_as_the_provider_says()
    {
        var admin = new AdminTool(shop.VirtualHost);
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 5);
        var orderId = await shop.SubmitOrderAsync(sku, quantity: 2, paymentToken: ShopRequests.LostAnswerToken);
        await shop.WaitForStatusAsync(orderId, "Reserved");

        var capture = new PaymentCaptured(orderId, Guid.NewGuid(), 25.00m, DateTimeOffset.UtcNow);
        var payments = TestSigningKeys.For(MessageSenders.Payments);
        var sent = new Dictionary<string, Guid>
        {
            ["unsigned"] = await PublishAsync(capture, null),
            ["forged"] = await PublishAsync(capture, new MessageSigningObserver(payments with { Key = ECDsa.Create(ECCurve.NamedCurves.nistP256) }, TimeProvider.System)),
            ["expired"] = await PublishAsync(capture, new MessageSigningObserver(payments, new FixedClock(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(10)))),
            ["wrong-sender"] = await PublishAsync(capture, new MessageSigningObserver(TestSigningKeys.For(MessageSenders.Inventory), TimeProvider.System)),
        };

        var rejected = await Eventually.Value(async () => await admin.ListAsync("--order", orderId.ToString()) is { Count: 4 } listed ? listed : null,
            $"the four false captures of order {orderId} in {SagaErrorQueue}");
        foreach (var (reason, messageId) in sent)
        {
            var message = Assert.Single(rejected, x => x.Id == messageId.ToString());
            Assert.Equal(SagaErrorQueue, message.ErrorQueue);
            Assert.Equal("payment-captured", message.MessageType);
            Assert.StartsWith($"Message rejected ({reason})", message.Reason);
            Assert.Equal(reason, await RejectedHeaderAsync(admin, messageId));
        }

        // The provider captured and its answer was lost: the deadline cancelled the order and the capture is refunded.
        var order = await shop.WaitForFinalStatusAsync(orderId);
        Assert.Equal(("Cancelled", CancellationReason.PaymentTimeout), (order.Status, order.CancellationReason));
        await Eventually.True(async () => await shop.Provider.NetAsync(orderId) == 0m, $"order {orderId} to net zero at the provider");
        Assert.Equal(0, await InboxRowsAsync(sent.Values));

        // The operator re-drives the replayed one: re-signed now with the operator key, the saga takes it (a capture
        // arriving after Cancelled is refunded; the provider holds nothing more).
        var run = await admin.RunAsync("errors", "redrive", sent["expired"].ToString());
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        await Eventually.True(async () => await InboxRowsAsync([sent["expired"]]) == 1, "the re-driven capture consumed by the saga");
        Assert.Equal(3, (await admin.ListAsync("--order", orderId.ToString())).Count);
        Assert.Equal("Cancelled", (await shop.GetOrderAsync(orderId)).Status);
        Assert.Equal(0m, await shop.Provider.NetAsync(orderId));

        await admin.RunAsync("errors", "discard", "--order", orderId.ToString(), "--yes");
    }

    async Task<Guid> PublishAsync<T>(T message, MessageSigningObserver? signer)
        where T : class
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestServers.RabbitMqHost, shop.VirtualHost.Name, h =>
            {
                h.Username(TestServers.RabbitMqUser);
                h.Password(TestServers.RabbitMqPassword);
            });
            if (signer is not null)
                rabbit.ConnectPublishObserver(signer);
        });
        await bus.StartAsync();
        try
        {
            var id = NewId.NextGuid();
            await bus.Publish(message, context => context.MessageId = id);
            return id;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    static async Task<string?> RejectedHeaderAsync(AdminTool admin, Guid messageId)
    {
        var run = await admin.RunAsync("errors", "show", messageId.ToString(), "--json");
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using var json = JsonDocument.Parse(run.Output);
        return json.RootElement[0].GetProperty("headers").GetProperty(MessageSignature.RejectedHeader).GetString();
    }

    async Task<long> InboxRowsAsync(IEnumerable<Guid> messageIds)
    {
        await using var connection = new NpgsqlConnection(shop.OrdersDatabase.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT count(*) FROM "InboxState" WHERE "MessageId" = ANY(@ids)""", connection);
        command.Parameters.AddWithValue("ids", messageIds.ToArray());
        return (long)(await command.ExecuteScalarAsync())!;
    }

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
