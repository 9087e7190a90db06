using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Shop.Testing;

namespace Shop.Audit.Tests;

public sealed class When_a_message_is_in_an_error_queue : AuditTest
{
    const string Queue = "charge-payment_error";

    [Fact]
    public async Task Should_report_the_order_the_message_type_and_the_fault_reason()
    {
        var orderId = await Shop.CompletedOrderAsync();
        await PutFaultedMessage(orderId);

        var audit = await Shop.AuditAsync();

        Assert.Equal(AuditCommand.Failed, audit.ExitCode);
        var violation = Assert.Single(audit.Violations);
        Assert.Equal(("error-queues", orderId.ToString()), (violation.Check, violation.Subject));
        Assert.Equal($"{Queue}: Shop.Contracts:ChargePayment: System.InvalidOperationException: The gateway exploded", violation.Detail);
        Assert.Matches($@"\n  {Queue} +1\r?\n", audit.Output);
    }

    [Fact]
    public async Task Should_leave_the_message_in_the_queue()
    {
        await PutFaultedMessage(Guid.NewGuid());

        await Shop.AuditAsync();
        var again = await Shop.AuditAsync();

        Assert.Single(again.Violations);
        Assert.Single(await Shop.VirtualHost.GetMessagesAsync(Queue));
    }

    [Fact]
    public async Task Should_list_it_but_pass_when_error_queues_are_allowed()
    {
        await PutFaultedMessage(Guid.NewGuid());

        var audit = await Shop.AuditAsync("--allow-error-queues");

        Assert.Equal(AuditCommand.Passed, audit.ExitCode);
        Assert.False(Assert.Single(audit.Findings).Violation);
    }

    /// <summary>A ChargePayment as MassTransit moves it to <c>_error</c>: its envelope, with the fault in the headers.</summary>
    async Task PutFaultedMessage(Guid orderId)
    {
        using var http = new HttpClient { BaseAddress = TestServers.RabbitMqManagement };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestServers.RabbitMqUser}:{TestServers.RabbitMqPassword}")));
        var vhost = Uri.EscapeDataString(Shop.VirtualHost.Name);

        (await http.PutAsJsonAsync($"api/queues/{vhost}/{Queue}", new { durable = true })).EnsureSuccessStatusCode();
        var envelope = $$"""
            {"messageId":"{{Guid.NewGuid()}}","messageType":["urn:message:Shop.Contracts:ChargePayment"],
             "message":{"orderId":"{{orderId}}","customerId":"customer-1","amount":20.00,"paymentToken":"tok_visa"} }
            """;
        var published = await http.PostAsJsonAsync($"api/exchanges/{vhost}/amq.default/publish", new
        {
            routing_key = Queue,
            payload = envelope,
            payload_encoding = "string",
            properties = new
            {
                delivery_mode = 2,
                headers = new Dictionary<string, string>
                {
                    ["MT-Reason"] = "fault",
                    ["MT-Fault-ExceptionType"] = "System.InvalidOperationException",
                    ["MT-Fault-Message"] = "The gateway\nexploded",
                },
            },
        });
        published.EnsureSuccessStatusCode();
        Assert.Contains("\"routed\":true", await published.Content.ReadAsStringAsync());
    }
}
