using System.Net;
using System.Net.Http.Json;
using Shop.Testing;

namespace Shop.EndToEnd.Tests;

/// <summary>Stock, payments, shipments and notifications are for operators: a customer gets 403, no token 401.</summary>
[Collection(ShopCollection.Name)]
public sealed class When_a_customer_calls_an_operator_api(ShopFixture shop)
{
    public static TheoryData<string, string, string> OperatorEndpoints => new()
    {
        { "Payments", "GET", $"/payments?orderId={Guid.NewGuid()}" },
        { "Shipping", "GET", $"/shipments?orderId={Guid.NewGuid()}" },
        { "Notifications", "GET", $"/notifications?orderId={Guid.NewGuid()}" },
        { "Inventory", "GET", "/stock/SKU-ANY" },
        { "Inventory", "PUT", "/stock/SKU-ANY" },
    };

    [Theory]
    [MemberData(nameof(OperatorEndpoints))]
    public async Task Should_answer_403_problem_details_to_a_customer(string service, string method, string path)
    {
        var response = await SendAsync(service, method, path, TestTokens.Customer(ShopFixture.Customer));

        await ShouldBeProblemAsync(response, HttpStatusCode.Forbidden);
    }

    [Theory]
    [MemberData(nameof(OperatorEndpoints))]
    public async Task Should_answer_401_problem_details_without_a_token(string service, string method, string path)
    {
        var response = await SendAsync(service, method, path, token: null);

        await ShouldBeProblemAsync(response, HttpStatusCode.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [MemberData(nameof(OperatorEndpoints))]
    public async Task Should_let_an_operator_through(string service, string method, string path)
    {
        var response = await SendAsync(service, method, path, TestTokens.Operator());

        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
    }

    [Fact]
    public async Task Should_leave_the_stock_as_it_was_when_a_customer_sets_it()
    {
        var sku = ShopRequests.NewSku();
        await shop.SetStockAsync(sku, 7);

        var response = await SendAsync("Inventory", "PUT", $"/stock/{sku}", TestTokens.Customer(ShopFixture.Customer));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(7, (await shop.GetStockAsync(sku)).OnHand);
    }

    async Task<HttpResponseMessage> SendAsync(string service, string method, string path, string? token)
    {
        using var http = new HttpClient { BaseAddress = ClientOf(service).BaseAddress };
        var request = new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "PUT" ? JsonContent.Create(new { onHand = 0 }) : null,
        };
        if (token is not null)
            request.WithToken(token);
        var response = await http.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    HttpClient ClientOf(string service) => service switch
    {
        "Payments" => shop.Payments,
        "Shipping" => shop.Shipping,
        "Notifications" => shop.Notifications,
        "Inventory" => shop.Inventory,
        _ => shop.Orders,
    };

    static async Task ShouldBeProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
    }
}
