using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Shop.ServiceDefaults.Identity;

/// <summary>
/// Tokens for local development and tests: HS256 JWTs signed with <see cref="AuthOptions.SigningKey"/>, the same shape
/// scripts/dev-token.sh prints. Production tokens come from the OpenID Connect provider, never from here. BCL only: the
/// load generator compiles this file in.
/// </summary>
public static class LocalTokens
{
    public const string Issuer = "shop-local";
    public const string Audience = "shop";
    public const string RoleClaim = "role";
    public const string SubjectClaim = "sub";

    /// <summary>A new random key, base64 (what <c>Auth:SigningKey</c> takes).</summary>
    public static string NewSigningKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static string Customer(string signingKey, string customerId, TimeSpan? lifetime = null) =>
        Mint(signingKey, customerId, ShopRoles.Customer, lifetime);

    public static string Operator(string signingKey, string name = "operator", TimeSpan? lifetime = null) =>
        Mint(signingKey, name, ShopRoles.Operator, lifetime);

    /// <summary>A token for <paramref name="subject"/> in <paramref name="role"/>, valid for <paramref name="lifetime"/> (default 12 h).</summary>
    public static string Mint(string signingKey, string subject, string role, TimeSpan? lifetime = null,
        string issuer = Issuer, string audience = Audience)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Encode("""{"alg":"HS256","typ":"JWT"}"""u8.ToArray());
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iss"] = issuer,
            ["aud"] = audience,
            [SubjectClaim] = subject,
            [RoleClaim] = role,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + (long)(lifetime ?? TimeSpan.FromHours(12)).TotalSeconds,
        }));
        var signature = HMACSHA256.HashData(Convert.FromBase64String(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Encode(signature)}";
    }

    static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
