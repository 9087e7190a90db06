using System.Net.Http.Headers;
using Shop.ServiceDefaults.Identity;

namespace Shop.Testing;

/// <summary>
/// Bearer tokens for tests: every <see cref="InProcessService"/> checks tokens against <see cref="SigningKey"/>, a key
/// made fresh for each test process (the way scripts/local-up.sh makes one per machine).
/// </summary>
public static class TestTokens
{
    public static string SigningKey { get; } = LocalTokens.NewSigningKey();

    public static string Customer(string customerId) => LocalTokens.Customer(SigningKey, customerId);

    public static string Operator() => LocalTokens.Operator(SigningKey);

    /// <summary>Sends every request of <paramref name="http"/> with <paramref name="token"/>.</summary>
    public static HttpClient WithToken(this HttpClient http, string token)
    {
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Sends this request with <paramref name="token"/>, whatever its client sends by default.</summary>
    public static HttpRequestMessage WithToken(this HttpRequestMessage request, string token)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
