namespace Shop.Orders.Tests.Api;

/// <summary>
/// Invisible characters change what an operator, a label printer or a log shows without changing how a name or address
/// looks: a right-to-left override (U+202E) reverses the rest of the line, zero-width ones (U+200B, the BOM U+FEFF) make
/// two equal-looking values differ, and U+2028/U+2029 break lines. Each is refused as any control character is.
/// </summary>
public sealed class When_an_address_hides_characters(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    public static TheoryData<string, string> HiddenCharacters => new()
    {
        { OrderBodies.With(x => x.Address()["line1"] = "1 Main St\u202Etxt.exe"), "shippingAddress.line1" },
        { OrderBodies.With(x => x.Address()["city"] = "Ber\u200Blin"), "shippingAddress.city" },
        { OrderBodies.With(x => x.Address()["postalCode"] = "\uFEFF10115"), "shippingAddress.postalCode" },
        { OrderBodies.With(x => x.Address()["line1"] = "1 Main St\u2028Apt 2"), "shippingAddress.line1" },
        { OrderBodies.With(x => x.Address()["city"] = "Ber\u2029lin"), "shippingAddress.city" },
        { OrderBodies.With(x => x["email"] = "ada\u2066@example.com"), "email" },
    };

    [Theory]
    [MemberData(nameof(HiddenCharacters))]
    public async Task Should_answer_400_naming_the_field(string body, string field)
    {
        var response = await orders.PostOrderAsync(body);

        var errors = await response.ReadValidationErrorsAsync();
        Assert.Contains(field, errors.Keys);
    }
}
