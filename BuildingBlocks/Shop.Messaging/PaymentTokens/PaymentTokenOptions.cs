namespace Shop.Messaging.PaymentTokens;

/// <summary>
/// Configuration section <c>PaymentTokens</c>: the key pair that seals customers' payment tokens for Payments. Orders
/// holds the public key (it seals), Payments the private key(s) (it opens). Not the message-signing keys: a separate
/// P-256 pair used only for ECDH, so neither key can stand in for the other.
/// </summary>
public sealed class PaymentTokenOptions
{
    public const string Section = "PaymentTokens";

    /// <summary>The subdirectory of the key directory that holds the pair: <c>&lt;dir&gt;/payment-token/&lt;key id&gt;.public.pem</c>.</summary>
    public const string DirectoryName = "payment-token";

    /// <summary>The key that seals (Orders): needed only when the directory holds more than one public key.</summary>
    public string? KeyId { get; set; }

    /// <summary>Orders: the public key, PEM text, a PEM file or base64 SubjectPublicKeyInfo (with <see cref="KeyId"/>).</summary>
    public string? PublicKey { get; set; }

    /// <summary>Payments: private keys by key id, each PEM text, a PEM file or base64 PKCS#8; several while one rotates out.</summary>
    public Dictionary<string, string> PrivateKeys { get; set; } = [];

    /// <summary>
    /// Where <c>scripts/dev-keys.sh</c> writes the pair (its <c>payment-token</c> subdirectory); when unset, the message
    /// signing key directory (<c>Messaging:Signing:KeyDirectory</c>).
    /// </summary>
    public string? KeyDirectory { get; set; }
}
