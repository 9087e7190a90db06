using System.Net;
using Shop.ServiceDefaults.Identity;
using Shop.Testing;

namespace Shop.Orders.Tests.Api;

public sealed class When_a_request_has_no_valid_token(OrdersServiceFixture orders) : IClassFixture<OrdersServiceFixture>
{
    public static TheoryData<string, string> Endpoints => new()
    {
        { "POST", "/orders" },
        { "GET", $"/orders/{Guid.NewGuid()}" },
        { "GET", $"/orders/{Guid.NewGuid()}/history" },
        { "POST", $"/orders/{Guid.NewGuid()}/cancel" },
    };

    /// <summary>Signed with another key, the old HS256 kind, for another issuer or audience, expired, tampered (ForeignTokens).</summary>
    public static TheoryData<string> BadTokens => new(["not-a-jwt", .. ForeignTokens.Kinds]);

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Should_answer_401_problem_details_without_a_token(string method, string path)
    {
        var before = await orders.CountAsync("Orders");

        var response = await orders.ClientFor(null).SendAsync(new HttpRequestMessage(new HttpMethod(method), path)
        {
            Content = method == "POST" ? new StringContent(OrderBodies.Valid().ToJsonString(), System.Text.Encoding.UTF8, "application/json") : null,
        });

        await response.ReadProblemAsync(401);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(before, await orders.CountAsync("Orders"));
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task Should_answer_401_to_a_token_it_cannot_trust(string kind)
    {
        var token = kind == "not-a-jwt" ? kind : ForeignTokens.Mint(kind, OrdersServiceFixture.Customer, ShopRoles.Customer);
        var before = await orders.CountAsync("Orders");

        var response = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), token: token);

        await response.ReadProblemAsync(401);
        Assert.Equal(before, await orders.CountAsync("Orders"));
    }

    [Fact]
    public async Task Should_answer_403_to_an_operator_submitting_an_order()
    {
        var response = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(), token: TestTokens.Operator());

        await response.ReadProblemAsync(403);
    }

    [Fact]
    public async Task Should_answer_403_to_a_token_without_a_shop_role()
    {
        var response = await orders.PostOrderAsync(OrderBodies.Valid().ToJsonString(),
            token: TestTokens.WithoutRole());

        await response.ReadProblemAsync(403);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/metrics")]
    [InlineData("/openapi/v1.json")]
    public async Task Should_leave_probes_metrics_and_the_api_description_open(string path)
    {
        var response = await orders.ClientFor(null).GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
