using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace Shop.Testing;

/// <summary>
/// Bearer tokens for tests, every one issued by the test process's Identity service (<see cref="TestIdentityProvider"/>)
/// and checked by every <see cref="InProcessService"/> through its discovery document and JWKS, as in production.
/// Cached per identity (a token request is a database row and a signature): one request per customer per test process.
/// </summary>
public static class TestTokens
{
    /// <summary>A token still this far from its expiry is handed out again.</summary>
    static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(10);

    static readonly ConcurrentDictionary<string, Lazy<Task<Cached>>> Tokens = new();

    /// <summary>A customer's token: role <c>customer</c>, <c>sub</c> = <paramref name="customerId"/>.</summary>
    public static string Customer(string customerId) => Wait(() => CustomerAsync(customerId));

    /// <summary>An operator's token: role <c>operator</c> (client credentials of the tests' client).</summary>
    public static string Operator() => Wait(OperatorAsync);

    /// <summary>A valid token of the provider that carries no Shop role (a client configured without one).</summary>
    public static string WithoutRole() => Wait(() => GetAsync("no-role", () => TestIdentityProvider.ClientCredentialsAsync(TestIdentityProvider.NoRoleClientId)));

    public static Task<string> CustomerAsync(string customerId) =>
        GetAsync($"customer:{customerId}", () => TestIdentityProvider.CustomerTokenAsync(customerId));

    public static Task<string> OperatorAsync() => GetAsync("operator", () => TestIdentityProvider.ClientCredentialsAsync());

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

    static async Task<string> GetAsync(string identity, Func<Task<TokenResponse>> request)
    {
        while (true)
        {
            var entry = Tokens.GetOrAdd(identity, _ => new Lazy<Task<Cached>>(async () =>
            {
                var response = await request();
                return new Cached(response.AccessToken, DateTimeOffset.UtcNow.AddSeconds(response.ExpiresIn));
            }));
            try
            {
                var cached = await entry.Value;
                if (cached.ExpiresAt - DateTimeOffset.UtcNow > RenewBefore)
                    return cached.Token;
            }
            catch (Exception)
            {
                // A failed request is not cached: the next caller asks again (and sees the error).
                Tokens.TryRemove(new KeyValuePair<string, Lazy<Task<Cached>>>(identity, entry));
                throw;
            }

            // About to expire: one caller replaces it (single-flight), the others then take the new one.
            Tokens.TryRemove(new KeyValuePair<string, Lazy<Task<Cached>>>(identity, entry));
        }
    }

    /// <summary>Synchronously, off any synchronization context (xUnit's would deadlock a blocked wait).</summary>
    static string Wait(Func<Task<string>> token) => Task.Run(token).GetAwaiter().GetResult();

    sealed record Cached(string Token, DateTimeOffset ExpiresAt);
}
