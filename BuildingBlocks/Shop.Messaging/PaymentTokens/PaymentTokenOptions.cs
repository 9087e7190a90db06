namespace Shop.Messaging.PaymentTokens;

/// <summary>
/// Configuration section <c>PaymentTokens</c>: the key pair that seals customers' payment tokens for Payments. Orders
/// holds the public key (it seals), Payments the private key(s) (it opens). Not the message-signing keys: a separate
/// P-256 pair used only for ECDH, so neither key can stand in for the other.
/// </summary>
public sealed class PaymentTokenOptions
{
    public const string Section = "PaymentTokens";

    /// <summary>The key that seals (Orders): needed only when the directory holds more than one public key.</summary>
    public string? KeyId { get; set; }

    /// <summary>Orders: the public key, PEM text, a PEM file or base64 SubjectPublicKeyInfo (with <see cref="KeyId"/>).</summary>
    public string? PublicKey { get; set; }

    /// <summary>Payments: private keys by key id, each PEM text, a PEM file or base64 PKCS#8; several while one rotates out.</summary>
    public Dictionary<string, string> PrivateKeys { get; set; } = [];

    /// <summary>
    /// A directory of <c>&lt;key id&gt;.public.pem</c> / <c>&lt;key id&gt;.private.pem</c> (what <c>scripts/dev-keys.sh</c> writes
    /// into <c>.run/payment-token-keys</c>). Never the message-signing key directory: every folder there is taken for a
    /// signer, and this pair must not verify as one.
    /// </summary>
    public string? KeyDirectory { get; set; }
}
