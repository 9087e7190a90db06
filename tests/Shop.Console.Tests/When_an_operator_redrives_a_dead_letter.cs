using System.Net.Http.Json;
using Microsoft.Playwright;
using Shop.Orders.Apis;

namespace Shop.Console.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class When_an_operator_redrives_a_dead_letter(ConsoleFixture shop)
{
    [Fact]
    public async Task Should_complete_the_order_and_record_the_action_in_the_audit_and_the_orders_timeline()
    {
        // The carrier to BE is down: the order's CreateShipment goes to create-shipment_error, the order waits in Paid.
        const string country = "BE";
        var sku = ConsoleFixture.NewSku();
        await shop.SetStockAsync(sku, onHand: 2);
        shop.ShippingOutage.Begin(country);
        Guid orderId;
        try
        {
            orderId = await shop.SubmitOrderAsync(sku, country: country);
            await shop.WaitForStatusAsync(orderId, "Paid");
            await Shop.Testing.Eventually.True(
                async () => await shop.OrdersDatabase.ScalarAsync<long>(
                    $"SELECT count(*) FROM \"OrderTimeline\" WHERE \"OrderId\" = '{orderId}' AND \"Kind\" = 'Faulted'") == 1,
                "Orders records the Fault<CreateShipment>");
        }
        finally
        {
            // The carrier is back: a re-driven command goes through.
            shop.ShippingOutage.End(country);
        }

        // Attention: the group with the order it blocks, and its re-drive link.
        var page = await shop.SignedInPageAsync();
        await page.GotoAsync(new Uri(shop.ConsoleAddress, "/attention").ToString());
        var group = page.Locator("details.fault-group[data-message-type=\"CreateShipment\"][data-exception-type=\"PermanentMessageFailureException\"]");
        Assert.Equal("Paid", await group.Locator($"tr[data-order=\"{orderId}\"]").GetAttributeAsync("data-state"));
        await group.Locator("a.redrive").ClickAsync();

        // The confirmation page: the group's messages in the error queue now, with the orders they block. Another test's
        // order may be in the same group (its carrier still down): this one's message alone is re-driven.
        await page.WaitForURLAsync(url => url.Contains("/operations/new", StringComparison.Ordinal));
        var row = page.Locator($"tr[data-order=\"{orderId}\"]");
        Assert.Equal(1, await row.CountAsync());
        Assert.Equal("Paid", await row.Locator("td[data-state]").GetAttributeAsync("data-state"));
        Assert.Contains("Paid", await page.Locator("#impact").InnerTextAsync(), StringComparison.Ordinal);
        var messageId = await row.GetAttributeAsync("data-message");
        var only = row.Locator("a:text('only this one')");
        if (await only.CountAsync() == 1)
        {
            await only.ClickAsync();
            await page.WaitForURLAsync(url => url.Contains("messageId=", StringComparison.Ordinal));
        }

        Assert.Contains("1 order, Paid", await page.Locator("#impact").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("tr[data-message]").CountAsync());

        // What the form posts, kept to post it a second time below.
        var form = page.Locator("form#confirm");
        var fields = new Dictionary<string, string>();
        foreach (var input in await form.Locator("input[type=hidden]").AllAsync())
            fields[(await input.GetAttributeAsync("name"))!] = (await input.GetAttributeAsync("value"))!;
        var operation = Guid.Parse(fields["operation"]);
        await form.Locator("button[type=submit]").ClickAsync();

        // The outcome page, from the audit table.
        await page.WaitForURLAsync(url => url.Contains($"/operations/{operation}", StringComparison.Ordinal));
        Assert.Equal("moved", await page.Locator($"tr[data-message=\"{messageId}\"]").GetAttributeAsync("data-result"));
        Assert.Contains("1 message moved back to its queue", await page.Locator("#summary").InnerTextAsync(), StringComparison.Ordinal);
        await shop.ScreenshotAsync(page, "console-redrive-outcome.png");

        // The order completes.
        await shop.WaitForStatusAsync(orderId, "Completed");
        await Shop.Testing.Eventually.True(async () =>
        {
            await page.ReloadAsync();
            return (await page.Locator("#summary").InnerTextAsync()).Contains("1 moved on", StringComparison.Ordinal);
        }, "the outcome page says the order moved on");

        // The same operation posted again (a double click, a reload): nothing is acted on twice.
        var again = await page.Context.APIRequest.PostAsync(new Uri(shop.ConsoleAddress, "/operations/new").ToString(),
            new APIRequestContextOptions { Form = FormOf(page, fields) });
        Assert.True(again.Ok, $"the repeated post answered {again.Status}");
        Assert.EndsWith($"/operations/{operation}", again.Url, StringComparison.Ordinal);

        // The audit table: who, what, when, which message, result — once.
        Assert.Equal(1, await shop.ConsoleDatabase.ScalarAsync<long>($"SELECT count(*) FROM \"OperatorActions\" WHERE \"OperationId\" = '{operation}'"));
        Assert.Equal("moved", await shop.ConsoleDatabase.ScalarAsync<string>(
            $"SELECT \"Result\" FROM \"OperatorActions\" WHERE \"OperationId\" = '{operation}' AND \"OrderId\" = '{orderId}' AND \"Action\" = 'redrive'"));
        var who = await shop.ConsoleDatabase.ScalarAsync<string>($"SELECT \"Operator\" FROM \"OperatorActions\" WHERE \"OperationId\" = '{operation}'");
        Assert.False(string.IsNullOrEmpty(who) || who == "unknown", $"the audit names the operator: '{who}'");

        // The order's own timeline: the operator action, written by Orders, once.
        var history = await (await shop.Orders.GetAsync($"/orders/{orderId}/history")).Content.ReadFromJsonAsync<OrderHistory>();
        var action = Assert.Single(history!.Entries, x => x.Kind == "OperatorAction");
        Assert.Equal("redrive CreateShipment", action.Name);
        var detail = action.Detail ?? "";
        Assert.Contains($"operation {operation}, message {messageId}: moved", detail, StringComparison.Ordinal);
        // Orders names who did it from the operator's own token (its subject), which the audit names too.
        var subject = detail["by ".Length..detail.IndexOf(", operation", StringComparison.Ordinal)];
        Assert.Contains(subject, who!, StringComparison.Ordinal);
        await page.GotoAsync(new Uri(shop.ConsoleAddress, $"/orders/{orderId}").ToString());
        Assert.Equal(1, await page.Locator("ol.timeline li[data-kind=\"OperatorAction\"]").CountAsync());
        await page.Context.DisposeAsync();
    }

    /// <summary>The confirmation form's fields, the antiforgery token among them (one message: one id).</summary>
    static IFormData FormOf(IPage page, Dictionary<string, string> fields)
    {
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
            form.Set(name, value);
        return form;
    }
}
