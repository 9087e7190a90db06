using Shop.ServiceDefaults.Identity;

namespace Shop.Identity;

/// <summary>
/// The Identity service's settings (section <c>Identity</c>): its issuer, where its keys and secrets are, its clients and
/// its local users. No secret is ever in configuration files: keys, client secrets and passwords are files under
/// <see cref="KeyDirectory"/> that scripts/dev-keys.sh generates (or values a test passes in memory).
/// </summary>
public sealed class IdentityProviderOptions
{
    public const string Section = "Identity";

    /// <summary>The one issuer every token names, trailing slash included, whatever host a request came in by.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>
    /// <c>signing.pem</c> (a P-256 private key: ES256), <c>encryption.key</c> (base64 of 32 bytes),
    /// <c>clients/&lt;client id&gt;.secret</c> and <c>users/&lt;name&gt;.password</c>. Required outside Development.
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>Short-lived, because a service never sees a revocation: what a leaked token can do ends with it.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often expired tokens, codes and authorizations are deleted (and how old they must be).</summary>
    public TimeSpan PruneInterval { get; set; } = TimeSpan.FromHours(1);

    public List<IdentityClient> Clients { get; set; } = [];

    public List<IdentityUser> Users { get; set; } = [];

    /// <summary>At most this many sign-in attempts per minute from one address (password guessing).</summary>
    public int SignInAttemptsPerMinute { get; set; } = 20;

    public IdentityClient? Client(string? clientId) => Clients.FirstOrDefault(x => x.ClientId == clientId);
}

/// <summary>
/// A client of the provider. With a secret (a file or <see cref="Secret"/>): confidential, may use client credentials
/// and gets <see cref="Role"/> (a tool: shop-admin, the audit, the load test). With <see cref="RedirectUris"/> and no
/// secret: public, authorization code + PKCE only (a browser or app signing people in).
/// </summary>
public sealed class IdentityClient
{
    public string ClientId { get; set; } = "";
    public string? DisplayName { get; set; }

    /// <summary>Set by tests; otherwise read from <c>clients/&lt;client id&gt;.secret</c> under the key directory.</summary>
    public string? Secret { get; set; }

    /// <summary>The role a client-credentials token carries (<c>operator</c>); none: the token may call nothing.</summary>
    public string? Role { get; set; }

    /// <summary>
    /// May obtain a customer's token for a customer id it names (grant <see cref="CustomerTokenGrant.Type"/>): the load
    /// test, the tests and scripts/dev-token.sh, which need many customers. It is impersonation: give it to nothing
    /// that runs in production (docs/security.md#identities).
    /// </summary>
    public bool CustomerTokens { get; set; }

    public List<string> RedirectUris { get; set; } = [];
    public List<string> PostLogoutRedirectUris { get; set; } = [];

    public bool IsPublic => RedirectUris.Count > 0;
}

/// <summary>A person who signs in on the sign-in page; the password is in <c>users/&lt;name&gt;.password</c>.</summary>
public sealed class IdentityUser
{
    public string Name { get; set; } = "";

    /// <summary>The token's <c>sub</c>: a customer's id (defaults to <see cref="Name"/>).</summary>
    public string? Subject { get; set; }

    public string Role { get; set; } = ShopRoles.Customer;

    /// <summary>Set by tests; otherwise read from <c>users/&lt;name&gt;.password</c> under the key directory.</summary>
    public string? Password { get; set; }
}
