namespace Shop.ServiceDefaults.Identity;

/// <summary>
/// Who may call a service's HTTP API: bearer tokens from an OpenID Connect provider (<see cref="Authority"/>) in
/// production, or tokens signed with a local <see cref="SigningKey"/> (scripts/local-up.sh, tests). Bound from <c>Auth</c>.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The OpenID Connect issuer; its discovery document supplies the signing keys (production).</summary>
    public string? Authority { get; set; }

    /// <summary>The <c>aud</c> every token must carry.</summary>
    public string Audience { get; set; } = LocalTokens.Audience;

    /// <summary>Only for a local Authority over plain HTTP (tests of the OIDC path); never off in production.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>
    /// Base64 of at least 32 random bytes: tokens are HS256-signed with it and carry <see cref="Issuer"/>. Local
    /// development and tests only (scripts/local-up.sh generates one per machine into .run/); ignored with an Authority.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>The <c>iss</c> of tokens signed with <see cref="SigningKey"/>.</summary>
    public string Issuer { get; set; } = LocalTokens.Issuer;

    /// <summary>The claim that holds the roles (<c>customer</c>, <c>operator</c>); providers differ (<c>roles</c>, …).</summary>
    public string RoleClaim { get; set; } = LocalTokens.RoleClaim;

    internal byte[]? SigningKeyBytes()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
            return null;
        try
        {
            return Convert.FromBase64String(SigningKey.Trim());
        }
        catch (FormatException)
        {
            return [];
        }
    }
}
