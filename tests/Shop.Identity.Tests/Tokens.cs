using System.Net;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Shop.Testing;

namespace Shop.Identity.Tests;

/// <summary>Reading the provider's answers: a token's claims (not checked here: the services check them) and errors.</summary>
static class Tokens
{
    public static JsonWebToken Read(string token) => new(token);

    public static HttpClient Provider() => new() { BaseAddress = TestIdentityProvider.Authority, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The token endpoint's OAuth error (<c>invalid_client</c>, …) of a refused request.</summary>
    public static async Task<string> ErrorOfAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!["error"]!.GetValue<string>();
    }
}
