using System.Net;
using Shop.ServiceDefaults.Identity;
using Shop.Testing;

namespace Shop.Identity.Tests;

public sealed class When_a_tool_uses_client_credentials
{
    [Fact]
    public async Task Should_issue_an_es256_operator_token_for_the_shop()
    {
        var response = await TestIdentityProvider.ClientCredentialsAsync();

        var token = Tokens.Read(response.AccessToken);
        Assert.Equal("ES256", token.Alg);
        Assert.Equal(TestIdentityProvider.SigningKey.KeyId, token.Kid);
        Assert.Equal(TestIdentityProvider.Authority.ToString(), token.Issuer);
        Assert.Equal([ShopClaims.Audience], token.Audiences);
        Assert.Equal(TestIdentityProvider.ClientId, token.Subject);
        Assert.Equal(ShopRoles.Operator, token.GetClaim(ShopClaims.Role).Value);
        Assert.InRange(token.ValidTo - token.IssuedAt, TimeSpan.FromMinutes(1), TimeSpan.FromHours(4));
    }

    [Fact]
    public async Task Should_give_a_client_without_a_role_a_token_without_one()
    {
        var token = Tokens.Read((await TestIdentityProvider.ClientCredentialsAsync(TestIdentityProvider.NoRoleClientId)).AccessToken);

        Assert.Equal(TestIdentityProvider.NoRoleClientId, token.Subject);
        Assert.False(token.TryGetClaim(ShopClaims.Role, out _));
    }

    [Theory]
    [InlineData("shop-tests", "wrong-secret")]
    [InlineData("nobody", "whatever")]
    public async Task Should_refuse_a_wrong_secret_or_an_unknown_client(string clientId, string secret)
    {
        var response = await TestIdentityProvider.PostTokenRequestAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = clientId,
            ["client_secret"] = secret,
        });

        Assert.Equal("invalid_client", await Tokens.ErrorOfAsync(response, HttpStatusCode.Unauthorized));
    }

    [Fact]
    public async Task Should_refuse_client_credentials_to_the_public_sign_in_client()
    {
        var response = await TestIdentityProvider.PostTokenRequestAsync(new()
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = TestIdentityProvider.WebClientId,
        });

        Assert.False(response.IsSuccessStatusCode);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync());
    }
}
