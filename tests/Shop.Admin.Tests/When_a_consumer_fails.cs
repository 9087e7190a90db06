using System.Text.Json;
using Shop.Admin.Cli;
using Xunit.Abstractions;

namespace Shop.Admin.Tests;

public sealed class When_a_consumer_fails(ITestOutputHelper log) : ErrorQueueTest
{
    [Fact]
    public async Task Should_list_the_message_with_its_reason_type_and_order_id()
    {
        var orderId = Guid.NewGuid();
        var messageId = Assert.Single(await FailAsync(orderId));

        var listed = Assert.Single(await Tool.ListAsync());

        Assert.Equal(messageId.ToString(), listed.Id);
        Assert.Equal(PaymentEndpoint.Queue, listed.Queue);
        Assert.Equal(PaymentEndpoint.Queue + "_error", listed.ErrorQueue);
        Assert.Equal("ChargePayment", listed.MessageType);
        Assert.Equal(orderId.ToString(), listed.OrderId);
        Assert.Equal("System.InvalidOperationException", listed.ExceptionType);
        Assert.Equal(PaymentEndpoint.Failure, listed.Reason);
        Assert.InRange(listed.FaultedAt!.Value, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.InRange(listed.AgeSeconds!.Value, 0, 60);

        var table = await Tool.RunAsync("errors", "list");
        log.WriteLine(table.Output);
        Assert.Equal(ExitCodes.Success, table.ExitCode);
        Assert.Contains(messageId.ToString(), table.Output);
        Assert.Contains($"System.InvalidOperationException: {PaymentEndpoint.Failure}", table.Output);
        Assert.Contains("1 message in 1 error queue.", table.Output);
    }

    [Fact]
    public async Task Should_show_its_fault_headers_and_body()
    {
        var orderId = Guid.NewGuid();
        var messageId = Assert.Single(await FailAsync(orderId));

        var shown = await Tool.RunAsync("errors", "show", messageId.ToString());
        log.WriteLine(shown.Output);

        Assert.Equal(ExitCodes.Success, shown.ExitCode);
        Assert.Contains($"MT-Fault-Message: {PaymentEndpoint.Failure}", shown.Output);
        Assert.Contains("MT-Fault-InputAddress: ", shown.Output);
        Assert.Contains("MT-Reason: fault", shown.Output);
        Assert.Contains("urn:message:shop:payments:charge-payment:v1", shown.Output);
        Assert.Contains($"\"orderId\": \"{orderId}\"", shown.Output);

        var json = await Tool.RunAsync("errors", "show", messageId.ToString(), "--json");
        using var document = JsonDocument.Parse(json.Output);
        var details = Assert.Single(document.RootElement.EnumerateArray().ToList());
        Assert.Equal(orderId.ToString(), details.GetProperty("body").GetProperty("message").GetProperty("orderId").GetString());
        Assert.Equal("fault", details.GetProperty("headers").GetProperty("MT-Reason").GetString());

        Assert.Single(await Tool.ListAsync());
    }

    [Fact]
    public async Task Should_answer_not_found_for_an_unknown_message_id()
    {
        await FailAsync(Guid.NewGuid());

        var shown = await Tool.RunAsync("errors", "show", Guid.NewGuid().ToString());

        Assert.Equal(ExitCodes.NotFound, shown.ExitCode);
        Assert.Single(await Tool.ListAsync());
    }
}
