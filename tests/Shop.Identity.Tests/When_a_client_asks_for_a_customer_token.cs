using System.Net;
using Shop.ServiceDefaults.Identity;
using Shop.Testing;

namespace Shop.Identity.Tests;

/// <summary>The customer grant: only a client given it may name a customer, and only a well-formed id.</summary>
public sealed class When_a_client_asks_for_a_customer_token
{
    [Fact]
    public async Task Should_issue_that_customers_token()
    {
        var token = Tokens.Read((await TestIdentityProvider.CustomerTokenAsync("customer-7")).AccessToken);

        Assert.Equal("customer-7", token.Subject);
        Assert.Equal(ShopRoles.Customer, token.GetClaim(ShopClaims.Role).Value);
        Assert.Equal([ShopClaims.Audience], token.Audiences);
    }

    [Fact]
    public async Task Should_refuse_a_client_not_allowed_the_grant()
    {
        var response = await TestIdentityProvider.PostTokenRequestAsync(new()
        {
            ["grant_type"] = CustomerTokenGrant.Type,
            [CustomerTokenGrant.CustomerIdParameter] = "customer-7",
            ["client_id"] = TestIdentityProvider.NoRoleClientId,
            ["client_secret"] = TestIdentityProvider.SecretOf(TestIdentityProvider.NoRoleClientId),
        });

        Assert.Equal("unauthorized_client", await Tokens.ErrorOfAsync(response, HttpStatusCode.BadRequest));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" padded ")]
    [InlineData("line\nbreak")]
    [InlineData("a-customer-id-that-is-far-too-long-for-an-order-to-store-it-in-its-column")]
    public async Task Should_refuse_a_malformed_customer_id(string customerId)
    {
        var response = await TestIdentityProvider.PostTokenRequestAsync(new()
        {
            ["grant_type"] = CustomerTokenGrant.Type,
            [CustomerTokenGrant.CustomerIdParameter] = customerId,
            ["client_id"] = TestIdentityProvider.ClientId,
            ["client_secret"] = TestIdentityProvider.SecretOf(TestIdentityProvider.ClientId),
        });

        Assert.Equal("invalid_request", await Tokens.ErrorOfAsync(response, HttpStatusCode.BadRequest));
    }
}
