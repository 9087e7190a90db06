using System.Text.Json.Nodes;
using Shop.Testing;

namespace Shop.Identity.Tests;

/// <summary>What every service reads at its first request: discovery, then the keys it checks signatures with.</summary>
public sealed class When_a_service_reads_the_discovery_document
{
    [Fact]
    public async Task Should_name_the_one_fixed_issuer_and_the_flows()
    {
        using var http = Tokens.Provider();

        var discovery = JsonNode.Parse(await http.GetStringAsync(".well-known/openid-configuration"))!;

        Assert.Equal(TestIdentityProvider.Authority.ToString(), discovery["issuer"]!.GetValue<string>());
        var grants = discovery["grant_types_supported"]!.AsArray().Select(x => x!.GetValue<string>()).ToList();
        Assert.Contains("client_credentials", grants);
        Assert.Contains("authorization_code", grants);
        Assert.Contains(CustomerTokenGrant.Type, grants);
        Assert.Contains("S256", discovery["code_challenge_methods_supported"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    [Fact]
    public async Task Should_publish_only_the_asymmetric_signing_key()
    {
        using var http = Tokens.Provider();
        var discovery = JsonNode.Parse(await http.GetStringAsync(".well-known/openid-configuration"))!;

        var keys = JsonNode.Parse(await http.GetStringAsync(discovery["jwks_uri"]!.GetValue<string>()))!["keys"]!.AsArray();

        var key = Assert.Single(keys)!;
        Assert.Equal("EC", key["kty"]!.GetValue<string>());
        Assert.Equal("P-256", key["crv"]!.GetValue<string>());
        Assert.Equal(TestIdentityProvider.SigningKey.KeyId, key["kid"]!.GetValue<string>());
        // A public key only: no private part, nothing symmetric.
        Assert.Null(key["d"]);
        Assert.Null(key["k"]);
    }
}
