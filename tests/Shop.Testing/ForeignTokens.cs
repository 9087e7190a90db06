using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Identity;

namespace Shop.Testing;

/// <summary>
/// Tokens the Identity service would never issue, for tests that a service refuses them: signed with another key, the
/// old locally-signed HS256 kind, or with the provider's own key but the wrong issuer, audience or lifetime.
/// </summary>
public static class ForeignTokens
{
    /// <summary>The kinds of <see cref="Mint(string, string, string)"/>, as theory data.</summary>
    public static readonly string[] Kinds =
        ["another-key", "old-hs256", "hs256-with-provider-issuer", "another-issuer", "another-audience", "expired", "tampered-role"];

    /// <summary>A token of kind <paramref name="kind"/> (one of <see cref="Kinds"/>) for <paramref name="subject"/> in <paramref name="role"/>.</summary>
    public static string Mint(string kind, string subject, string role)
    {
        var issuer = TestIdentityProvider.Authority.ToString();
        var provider = TestIdentityProvider.SigningKey;
        return kind switch
        {
            "another-key" => Sign(new ECDsaSecurityKey(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = provider.KeyId }, SecurityAlgorithms.EcdsaSha256,
                issuer, subject, role),
            "old-hs256" => Sign(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256, "shop-local", subject, role),
            "hs256-with-provider-issuer" => Sign(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)), SecurityAlgorithms.HmacSha256, issuer, subject, role),
            "another-issuer" => Sign(provider, SecurityAlgorithms.EcdsaSha256, "http://127.0.0.1:1/", subject, role),
            "another-audience" => Sign(provider, SecurityAlgorithms.EcdsaSha256, issuer, subject, role, audience: "another-api"),
            "expired" => Sign(provider, SecurityAlgorithms.EcdsaSha256, issuer, subject, role, lifetime: TimeSpan.FromMinutes(-5)),
            "tampered-role" => Tamper(TestTokens.Customer(subject)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not one of ForeignTokens.Kinds."),
        };
    }

    /// <summary>A token signed with <paramref name="key"/>; <paramref name="lifetime"/> negative: expired that long ago.</summary>
    public static string Sign(SecurityKey key, string algorithm, string issuer, string subject, string? role, string audience = ShopClaims.Audience,
        TimeSpan? lifetime = null)
    {
        var now = DateTime.UtcNow;
        var life = lifetime ?? TimeSpan.FromMinutes(15);
        var claims = new List<Claim> { new(ShopClaims.Subject, subject) };
        if (role is not null)
            claims.Add(new Claim(ShopClaims.Role, role));
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = life < TimeSpan.Zero ? now + life - TimeSpan.FromMinutes(15) : now,
            NotBefore = life < TimeSpan.Zero ? now + life - TimeSpan.FromMinutes(15) : now,
            Expires = now + life,
            SigningCredentials = new SigningCredentials(key, algorithm),
        });
    }

    /// <summary>The provider's customer token with its payload swapped for an operator's: the signature no longer matches.</summary>
    static string Tamper(string token)
    {
        var parts = token.Split('.');
        var payload = Base64UrlEncoder.Decode(parts[1]).Replace($"\"{ShopRoles.Customer}\"", $"\"{ShopRoles.Operator}\"", StringComparison.Ordinal);
        return $"{parts[0]}.{Base64UrlEncoder.Encode(payload)}.{parts[2]}";
    }
}
