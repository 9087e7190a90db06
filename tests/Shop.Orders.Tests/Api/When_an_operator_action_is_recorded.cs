using System.Net;
using System.Net.Http.Json;
using Shop.Orders.Apis;

namespace Shop.Orders.Tests.Api;

/// <summary>The console writes an operator's re-drive or discard into the order's timeline through Orders' API.</summary>
public sealed class When_an_operator_action_is_recorded(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    static object Action(Guid operation, string messageId = "m-1", string action = "redrive") =>
        new { operation, action, messageId, messageType = "CreateShipment", result = "moved" };

    [Fact]
    public async Task Should_append_it_to_the_orders_timeline_once_per_operation_and_message()
    {
        var orderId = await orders.SubmitOrderAsync();
        await orders.WaitForStateAsync(orderId, "Submitted");
        var operation = Guid.NewGuid();

        var first = await orders.Operator.PostAsJsonAsync($"/orders/{orderId}/operator-actions", Action(operation));
        var again = await orders.Operator.PostAsJsonAsync($"/orders/{orderId}/operator-actions", Action(operation));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var history = await (await orders.Operator.GetAsync($"/orders/{orderId}/history")).ReadJsonAsync<OrderHistory>();
        var line = Assert.Single(history.Entries, x => x.Kind == "OperatorAction");
        Assert.Equal("redrive CreateShipment", line.Name);
        Assert.Contains($"operation {operation}, message m-1: moved", line.Detail, StringComparison.Ordinal);
        // Numbered after the saga's own lines, which keep theirs.
        Assert.Equal(history.Entries.Count, line.Sequence);
        Assert.Equal(history.Entries.Count, await orders.Database.ScalarAsync<int>(
            $"SELECT \"TimelineLength\" FROM \"OrderState\" WHERE \"CorrelationId\" = '{orderId}'"));
    }

    [Fact]
    public async Task Should_refuse_a_customer_and_an_anonymous_caller()
    {
        var orderId = await orders.SubmitOrderAsync();
        await orders.WaitForStateAsync(orderId, "Submitted");

        var customer = await orders.Http.PostAsJsonAsync($"/orders/{orderId}/operator-actions", Action(Guid.NewGuid()));
        var anonymous = await orders.ClientFor(null).PostAsJsonAsync($"/orders/{orderId}/operator-actions", Action(Guid.NewGuid()));

        Assert.Equal(HttpStatusCode.Forbidden, customer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(0, await orders.Database.ScalarAsync<long>(
            $"SELECT count(*) FROM \"OrderTimeline\" WHERE \"OrderId\" = '{orderId}' AND \"Kind\" = 'OperatorAction'"));
    }

    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{"action":"redrive","messageId":"m","result":"moved"}""", "operation" },
        { """{"operation":"00000000-0000-0000-0000-000000000000","action":"redrive","messageId":"m","result":"moved"}""", "operation" },
        { $$"""{"operation":"{{Guid.NewGuid()}}","action":"explode","messageId":"m","result":"moved"}""", "action" },
        { $$"""{"operation":"{{Guid.NewGuid()}}","action":"redrive","result":"moved"}""", "messageId" },
        { $$"""{"operation":"{{Guid.NewGuid()}}","action":"redrive","messageId":"m\u0007","result":"moved"}""", "messageId" },
        { $$"""{"operation":"{{Guid.NewGuid()}}","action":"redrive","messageId":"m"}""", "result" },
        { $$"""{"operation":"{{Guid.NewGuid()}}","action":"redrive","messageId":"m","result":"moved","by":"someone else"}""", "by" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Should_answer_400_naming_the_field(string body, string field)
    {
        var orderId = await orders.SubmitOrderAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        var response = await orders.Operator.PostAsync($"/orders/{orderId}/operator-actions", content);

        Assert.Contains(field, (await response.ReadValidationErrorsAsync()).Keys);
    }

    [Fact]
    public async Task Should_answer_404_for_an_unknown_order()
    {
        var response = await orders.Operator.PostAsJsonAsync($"/orders/{Guid.NewGuid()}/operator-actions", Action(Guid.NewGuid()));

        await response.ReadProblemAsync(404);
    }
}
