using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace Shop.LoadTest;

/// <summary>
/// Bearer tokens from the Identity service, as its client <c>shop-loadtest</c>: an operator's (client credentials) for
/// the catalog and for reading orders, and one per simulated customer (the customer grant, which this client is
/// allowed). Each token is requested once and again only shortly before it expires, by one caller at a time: never a
/// token per request (each is a row and a signature at the provider).
/// </summary>
sealed class LoadTokens(HttpClient identity, string clientId, string secret)
{
    const string CustomerGrant = "urn:shop:grant-type:customer";
    static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(2);

    readonly ConcurrentDictionary<string, Lazy<Task<Token>>> _tokens = new(StringComparer.Ordinal);

    /// <summary>The last token of each identity: used while a renewal fails and it is still valid (Identity restarting).</summary>
    readonly ConcurrentDictionary<string, Token> _last = new(StringComparer.Ordinal);

    /// <summary>The client secret from <c>SHOP_TOKEN_CLIENT_SECRET</c> when set, else from the file scripts/dev-keys.sh wrote.</summary>
    public static LoadTokens From(Uri identityUrl, string clientId, string secretFile)
    {
        var secret = Environment.GetEnvironmentVariable("SHOP_TOKEN_CLIENT_SECRET");
        if (string.IsNullOrWhiteSpace(secret))
        {
            if (!File.Exists(secretFile))
                throw new ArgumentException($"No client secret at {secretFile}: start the shop with scripts/local-up.sh, or pass --client-secret-file.");
            secret = File.ReadAllText(secretFile);
        }

        return new LoadTokens(new HttpClient { BaseAddress = identityUrl, Timeout = TimeSpan.FromSeconds(30) }, clientId, secret.Trim());
    }

    public Task<string> Customer(string customerId) =>
        Get($"customer:{customerId}", new() { ["grant_type"] = CustomerGrant, ["customer_id"] = customerId });

    public Task<string> Operator() => Get("operator", new() { ["grant_type"] = "client_credentials" });

    async Task<string> Get(string identity, Dictionary<string, string> form)
    {
        while (true)
        {
            var entry = _tokens.GetOrAdd(identity, _ => new Lazy<Task<Token>>(() => Request(form)));
            Token token;
            try
            {
                token = await entry.Value;
            }
            catch (Exception)
            {
                // Not cached: the next request asks the provider again.
                _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<Token>>>(identity, entry));
                if (_last.TryGetValue(identity, out var last) && last.ExpiresAt - DateTimeOffset.UtcNow > TimeSpan.FromSeconds(10))
                    return last.AccessToken;
                throw;
            }

            _last[identity] = token;

            if (token.ExpiresAt - DateTimeOffset.UtcNow > RenewBefore)
                return token.AccessToken;
            _tokens.TryRemove(new KeyValuePair<string, Lazy<Task<Token>>>(identity, entry));
        }
    }

    async Task<Token> Request(Dictionary<string, string> form)
    {
        form = new Dictionary<string, string>(form) { ["client_id"] = clientId, ["client_secret"] = secret };
        using var response = await identity.PostAsync("connect/token", new FormUrlEncodedContent(form));
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"The Identity service refused a token ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync()}");
        var answer = await response.Content.ReadFromJsonAsync<TokenAnswer>() ?? throw new HttpRequestException("An empty token answer.");
        return new Token(answer.AccessToken, DateTimeOffset.UtcNow.AddSeconds(answer.ExpiresIn));
    }

    sealed record Token(string AccessToken, DateTimeOffset ExpiresAt);

    sealed record TokenAnswer([property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
