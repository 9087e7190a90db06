using System.Text.Json;
using Shop.Admin.Cli;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

[Collection(ShopCollection.Name)]
public sealed class When_a_failed_message_is_redriven(ShopFixture shop)
{
    const string Country = "IS";

    [Fact]
    public async Task Should_complete_the_order_once_the_fault_is_removed()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, onHand: 5);
        shop.ShippingOutage.Begin(Country);
        try
        {
            var orderId = await shop.SubmitOrderAsync(sku, quantity: 2, country: Country);

            var failed = await Eventually.Value(async () => (await ErrorsAsync(orderId)).SingleOrDefault(), $"order {orderId}'s message in _error");
            Assert.Equal("create-shipment", failed.Queue);
            Assert.Equal("CreateShipment", failed.MessageType);
            Assert.Equal($"{ShippingOutage.Reason} in {Country}", failed.Reason);
            Assert.Equal("Paid", (await shop.GetOrderAsync(orderId)).Status);

            // Orders heard of the failed step (Fault<CreateShipment>) and wrote it into the order's timeline.
            var fault = await Eventually.Value(async () =>
                (await shop.GetHistoryAsync(orderId)).Entries.SingleOrDefault(x => x.Kind == "Faulted"), $"the fault in order {orderId}'s timeline");
            Assert.Equal("CreateShipment", fault.Name);
            Assert.Contains($"{ShippingOutage.Reason} in {Country}", fault.Detail);

            shop.ShippingOutage.End(Country);
            var (exitCode, output) = await AdminAsync("errors", "redrive", "--order", orderId.ToString());

            Assert.True(exitCode == ExitCodes.Success, output);
            var order = await shop.WaitForFinalStatusAsync(orderId);
            Assert.Equal("Completed", order.Status);
            Assert.Single(await shop.GetShipmentsAsync(orderId));
            await shop.WaitForStockAsync(sku, onHand: 3, reserved: 0);
            Assert.Empty(await ErrorsAsync(orderId));
        }
        finally
        {
            shop.ShippingOutage.End(Country);
        }
    }

    async Task<List<ListedMessage>> ErrorsAsync(Guid orderId)
    {
        var (exitCode, output) = await AdminAsync("errors", "list", "--order", orderId.ToString(), "--json");
        Assert.True(exitCode == ExitCodes.Success, output);
        return JsonSerializer.Deserialize<List<ListedMessage>>(output, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    /// <summary>Runs <c>shop-admin</c> in-process against the shop's virtual host.</summary>
    async Task<(int ExitCode, string Output)> AdminAsync(params string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] connection =
        [
            "--rabbitmq", $"amqp://{TestServers.RabbitMqUser}:{TestServers.RabbitMqPassword}@{TestServers.RabbitMqHost}:5672/",
            "--vhost", shop.VirtualHost.Name,
            "--management", TestServers.RabbitMqManagement.ToString(),
        ];
        var exitCode = await AdminCommandLine.InvokeAsync([.. arguments, .. connection], new AdminConsole(new StringReader(""), output, error));
        return (exitCode, output.ToString() + error);
    }

    sealed record ListedMessage(string Id, string Queue, string? MessageType, string? Reason);
}
