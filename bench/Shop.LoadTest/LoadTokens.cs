using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Shop.LoadTest;

/// <summary>
/// Bearer tokens for the simulated customers (one per customer, minted once) and for reading orders as an operator:
/// HS256 with the key scripts/local-up.sh generated, in the shape of ServiceDefaults' LocalTokens and
/// scripts/dev-token.sh (kept here so the load generator needs no ASP.NET).
/// </summary>
sealed class LoadTokens(string signingKey)
{
    readonly byte[] _key = Convert.FromBase64String(signingKey.Trim());
    readonly ConcurrentDictionary<string, string> _customers = new(StringComparer.Ordinal);
    string? _operator;

    /// <summary><c>SHOP_SIGNING_KEY</c> when set, else the key file.</summary>
    public static LoadTokens From(string keyFile)
    {
        var key = Environment.GetEnvironmentVariable("SHOP_SIGNING_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            if (!File.Exists(keyFile))
                throw new ArgumentException($"No signing key at {keyFile}: start the shop with scripts/local-up.sh, or pass --signing-key-file.");
            key = File.ReadAllText(keyFile);
        }

        return new LoadTokens(key);
    }

    public string Customer(string customerId) => _customers.GetOrAdd(customerId, id => Mint(id, "customer"));

    public string Operator() => _operator ??= Mint("loadtest", "operator");

    string Mint(string subject, string role)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = "shop-local",
            ["aud"] = "shop",
            ["sub"] = subject,
            ["role"] = role,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)TimeSpan.FromHours(12).TotalSeconds,
        }));
        var signature = HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Encode(signature)}";
    }

    static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
