namespace Shop.Messaging.Signing;

/// <summary>
/// Message signing (<c>Messaging:Signing</c>; docs/security.md). Keys come from a key directory, from configuration
/// values (PEM text, a PEM file path or base64 DER — environment variables such as
/// <c>Messaging__Signing__PrivateKey</c>), or both.
/// </summary>
public sealed class SigningOptions
{
    public const string Section = "Messaging:Signing";

    /// <summary>Who this process signs as; by default its application name without <c>Shop.</c>, lower case (<c>Shop.Orders</c> → <c>orders</c>).</summary>
    public string? Service { get; set; }

    /// <summary>How old a message may be, from the moment it was sent, to be accepted.</summary>
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far apart two services' clocks may be: added to the window, and allowed into the future.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A directory of keys, <c>&lt;signer&gt;/&lt;key id&gt;.public.pem</c> and this service's
    /// <c>&lt;service&gt;/&lt;key id&gt;.private.pem</c> (what <c>scripts/dev-keys.sh</c> writes).
    /// </summary>
    public string? KeyDirectory { get; set; }

    /// <summary>This service's private key: PEM, a PEM file path, or base64 PKCS#8.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The id of the key this service signs with (required with <see cref="PrivateKey"/>; chooses among several in the directory).</summary>
    public string? KeyId { get; set; }

    /// <summary>Public keys by signer and key id: <c>PublicKeys:payments:payments-2026-12 = PEM | path | base64</c>.</summary>
    public Dictionary<string, Dictionary<string, string>> PublicKeys { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
