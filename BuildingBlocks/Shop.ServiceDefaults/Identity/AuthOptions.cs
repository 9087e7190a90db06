namespace Shop.ServiceDefaults.Identity;

/// <summary>
/// Who may call a service's HTTP API: bearer tokens from the OpenID Connect provider at <see cref="Authority"/>, in
/// every environment (locally and in the tests that is the Identity service). Bound from <c>Auth</c>.
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>The OpenID Connect issuer (<c>http://127.0.0.1:8088/</c> locally); its discovery document supplies the keys.</summary>
    public string? Authority { get; set; }

    /// <summary>
    /// Where to read the discovery document when the issuer's address is not reachable from here (docker compose:
    /// <c>http://identity:8088/.well-known/openid-configuration</c> while tokens name <c>http://127.0.0.1:8088/</c>).
    /// </summary>
    public string? MetadataAddress { get; set; }

    /// <summary>The <c>aud</c> every token must carry.</summary>
    public string Audience { get; set; } = ShopClaims.Audience;

    /// <summary>Off only for a provider over plain HTTP (local development, tests, compose); never off in production.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim that holds the roles (<c>customer</c>, <c>operator</c>); providers differ (<c>roles</c>, …).</summary>
    public string RoleClaim { get; set; } = ShopClaims.Role;

    /// <summary>
    /// The removed local HS256 key. Bound only to refuse it: a service that still has one configured stops at start-up
    /// instead of silently ignoring it (any holder of that key could mint every identity).
    /// </summary>
    public string? SigningKey { get; set; }

    internal bool UsesPlainHttp() =>
        (MetadataAddress ?? Authority) is { } address && address.StartsWith("http://", StringComparison.OrdinalIgnoreCase);
}
