using System.Text.Json.Nodes;

namespace Shop.Orders.Tests.Api;

public sealed class When_an_order_is_invalid(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { "{\"email\": \"ada@example.com\", ", "body" },
        { "[1, 2]", "body" },
        { "null", "body" },
        // The customer is the token's subject: a customerId in the body is an unknown field, not a way to order for someone else.
        { OrderBodies.With(x => x["customerId"] = "customer-2"), "customerId" },
        { OrderBodies.With(x => x["email"] = "not-an-email"), "email" },
        { OrderBodies.With(x => x.Remove("email")), "email" },
        { OrderBodies.With(x => x.Remove("paymentToken")), "paymentToken" },
        { OrderBodies.With(x => x.Remove("items")), "items" },
        { OrderBodies.With(x => x["items"] = new JsonArray()), "items" },
        { OrderBodies.With(x => x["items"] = new JsonArray([.. Enumerable.Range(0, 101).Select(i => (JsonNode)new JsonObject { ["sku"] = $"SKU-{i}", ["quantity"] = 1 })])), "items" },
        { OrderBodies.With(x => x.Item(0)["quantity"] = 0), "items[0].quantity" },
        { OrderBodies.With(x => x.Item(1)["quantity"] = 1001), "items[1].quantity" },
        { OrderBodies.With(x => x.Item(0)["quantity"] = "two"), "items[0].quantity" },
        { OrderBodies.With(x => x.Item(0)["quantity"] = "1"), "items[0].quantity" },
        { OrderBodies.With(x => x.Item(0)["quantity"] = 1.5), "items[0].quantity" },
        { OrderBodies.With(x => x.Item(0)["unitPrice"] = 0.01m), "items[0].unitPrice" },
        { OrderBodies.With(x => x.Item(1)["unitPrice"] = 15.50m), "items[1].unitPrice" },
        { OrderBodies.With(x => x.Item(0)["sku"] = "SKU-UNPRICED"), "items[0].sku" },
        { OrderBodies.With(x => x.Item(1)["sku"] = "sku-1"), "items[1].sku" },
        { OrderBodies.With(x => x.Item(0)["sku"] = "SKU 1"), "items[0].sku" },
        { OrderBodies.With(x => x.Item(0)["sku"] = new string('S', 65)), "items[0].sku" },
        { OrderBodies.With(x => x.Item(0)["sku"] = 1), "items[0].sku" },
        { OrderBodies.With(x => x["customerId"] = "customer\u00001"), "customerId" },
        { OrderBodies.With(x => x["email"] = "ada\u0000@example.com"), "email" },
        { OrderBodies.With(x => x["paymentToken"] = "tok\u0000ok"), "paymentToken" },
        { OrderBodies.With(x => x.Item(0)["sku"] = "SKU-1\u0000"), "items[0].sku" },
        { OrderBodies.With(x => x.Address()["line1"] = "1 Main\u0000St"), "shippingAddress.line1" },
        { OrderBodies.With(x => x.Address()["city"] = "Ber\u0007lin"), "shippingAddress.city" },
        { OrderBodies.With(x => x.Address()["postalCode"] = "10\u001b115"), "shippingAddress.postalCode" },
        { OrderBodies.With(x => x.Address()["country"] = "D\u0000"), "shippingAddress.country" },
        { OrderBodies.Valid().ToJsonString().Replace("\"Berlin\"", "\"Berlin\\ud800\"", StringComparison.Ordinal), "shippingAddress.city" },
        { OrderBodies.With(x => x["customerId"] = new string('c', 65)), "customerId" },
        { OrderBodies.With(x => x["paymentToken"] = new string('t', 129)), "paymentToken" },
        { OrderBodies.With(x => x.Item(1)["sku"] = ""), "items[1].sku" },
        { OrderBodies.With(x => x.Item(1)["sku"] = "SKU-1"), "items[1].sku" },
        { OrderBodies.With(x => x.Remove("shippingAddress")), "shippingAddress" },
        { OrderBodies.With(x => x.Address().Remove("city")), "shippingAddress.city" },
        { OrderBodies.With(x => x.Address()["country"] = "XX"), "shippingAddress.country" },
        { OrderBodies.With(x => x.Address()["country"] = "Germany"), "shippingAddress.country" },
        { OrderBodies.With(x => x["coupon"] = "FREE"), "coupon" },
        { OrderBodies.With(x => x.Item(0)["discount"] = 5), "items[0].discount" },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Should_answer_400_naming_the_field_and_store_nothing(string body, string field)
    {
        var response = await orders.PostOrderAsync(body);

        var errors = await response.ReadValidationErrorsAsync();
        Assert.Contains(field, errors.Keys);
        await ShouldHaveStoredNothing();
    }

    [Fact]
    public async Task Should_name_every_bad_field_at_once()
    {
        var response = await orders.PostOrderAsync(OrderBodies.With(x =>
        {
            x["email"] = "nope";
            x.Item(0)["quantity"] = 0;
            x.Address()["country"] = "ZZ";
        }));

        var errors = await response.ReadValidationErrorsAsync();
        Assert.Equal(["email", "items[0].quantity", "shippingAddress.country"], errors.Keys.Order());
    }

    [Fact]
    public async Task Should_answer_413_to_a_body_over_64_KiB()
    {
        var response = await orders.PostOrderAsync(OrderBodies.With(x => x["email"] = new string('c', 70 * 1024)));

        await response.ReadProblemAsync(413);
        await ShouldHaveStoredNothing();
    }

    [Fact]
    public async Task Should_answer_415_to_a_body_that_is_not_json()
    {
        var response = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), contentType: "text/plain");

        await response.ReadProblemAsync(415);
        await ShouldHaveStoredNothing();
    }

    [Fact]
    public async Task Should_answer_400_to_an_overlong_idempotency_key()
    {
        var response = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), idempotencyKey: new string('k', 101));

        Assert.Contains("Idempotency-Key", (await response.ReadValidationErrorsAsync()).Keys);
        await ShouldHaveStoredNothing();
    }

    async Task ShouldHaveStoredNothing()
    {
        Assert.Equal(0, await orders.CountAsync("Orders"));
        Assert.Equal(0, await orders.CountAsync("OrderLines"));
        Assert.Equal(0, await orders.CountAsync("OutboxMessage"));
    }
}
