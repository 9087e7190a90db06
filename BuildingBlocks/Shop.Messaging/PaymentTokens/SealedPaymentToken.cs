using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Shop.Messaging.PaymentTokens;

/// <summary>
/// A customer's payment token sealed for Payments: ECIES on P-256 — an ephemeral ECDH key agreed with Payments' token
/// key, HKDF-SHA256 to an AES-256-GCM key, the order id as associated data (a sealed token opens for its own order only,
/// so it cannot be replayed onto another). Text form, all parts base64url:
/// <c>pt1.&lt;key id&gt;.&lt;ephemeral public point&gt;.&lt;nonce&gt;.&lt;ciphertext+tag&gt;</c>.
/// Only the holder of the private key (Payments) can open it; Orders, the broker, error queues and redelivery rows see
/// ciphertext.
/// </summary>
public static partial class SealedPaymentToken
{
    public const string Prefix = "pt1.";

    /// <summary>The longest sealed text of a token of up to <see cref="MaxTokenBytes"/> UTF-8 bytes: a column this wide holds any.</summary>
    public const int MaxLength = 1024;

    /// <summary>A token longer than this (in UTF-8) is refused before it is sealed.</summary>
    public const int MaxTokenBytes = 512;

    const int PointLength = 65, NonceLength = 12, TagLength = 16, KeyLength = 32;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex KeyIdPattern();

    public static bool IsValidKeyId(string? keyId) => keyId is not null && KeyIdPattern().IsMatch(keyId);

    /// <summary>Whether <paramref name="text"/> has the sealed form (not whether it opens).</summary>
    public static bool IsSealed(string? text) => text is not null && text.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The key id a sealed token names, or null when the text is not sealed.</summary>
    public static string? KeyIdOf(string text) =>
        IsSealed(text) && text.Split('.') is { Length: 5 } parts ? parts[1] : null;

    public static string Seal(ECDiffieHellman recipient, string keyId, string token, Guid orderId)
    {
        if (!IsValidKeyId(keyId))
            throw new ArgumentException($"Key id '{keyId}' must be 1 to 40 characters of A-Z a-z 0-9 _ -.", nameof(keyId));
        var plaintext = Encoding.UTF8.GetBytes(token);
        if (plaintext.Length is 0 or > MaxTokenBytes)
            throw new ArgumentException($"A payment token is 1 to {MaxTokenBytes} bytes.", nameof(token));

        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var point = EncodePoint(ephemeral.ExportParameters(false).Q);
        var key = DeriveKey(ephemeral.DeriveRawSecretAgreement(recipient.PublicKey), point, keyId);

        var nonce = RandomNumberGenerator.GetBytes(NonceLength);
        var sealedBytes = new byte[plaintext.Length + TagLength];
        using (var aes = new AesGcm(key, TagLength))
            aes.Encrypt(nonce, plaintext, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), orderId.ToByteArray());
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(plaintext);

        return $"{Prefix}{keyId}.{Base64Url.EncodeToString(point)}.{Base64Url.EncodeToString(nonce)}.{Base64Url.EncodeToString(sealedBytes)}";
    }

    /// <summary>Opens a sealed token of <paramref name="orderId"/> with the private key its key id names.</summary>
    /// <exception cref="CryptographicException">Not sealed, an unknown key id, tampered with, or sealed for another order.</exception>
    public static string Open(string text, Guid orderId, Func<string, ECDiffieHellman?> privateKeyOf)
    {
        var parts = IsSealed(text) ? text.Split('.') : [];
        if (parts.Length != 5)
            throw new CryptographicException("Not a sealed payment token.");
        var keyId = parts[1];
        var recipient = privateKeyOf(keyId) ?? throw new CryptographicException($"No payment-token key with id '{keyId}'.");

        byte[] point, nonce, sealedBytes;
        try
        {
            (point, nonce, sealedBytes) = (Base64Url.DecodeFromChars(parts[2]), Base64Url.DecodeFromChars(parts[3]), Base64Url.DecodeFromChars(parts[4]));
        }
        catch (FormatException exception)
        {
            throw new CryptographicException("A sealed payment token with a malformed part.", exception);
        }

        if (point.Length != PointLength || point[0] != 4 || nonce.Length != NonceLength || sealedBytes.Length <= TagLength)
            throw new CryptographicException("A sealed payment token of the wrong shape.");

        using var ephemeral = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        });
        var key = DeriveKey(recipient.DeriveRawSecretAgreement(ephemeral.PublicKey), point, keyId);
        var plaintext = new byte[sealedBytes.Length - TagLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(nonce, sealedBytes.AsSpan(0, plaintext.Length), sealedBytes.AsSpan(plaintext.Length), plaintext, orderId.ToByteArray());
            return Encoding.UTF8.GetString(plaintext);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    static byte[] EncodePoint(ECPoint q) => [4, .. q.X!, .. q.Y!];

    // The ephemeral point as salt and the key id in the info bind the derived key to this one message and key.
    static byte[] DeriveKey(byte[] secret, byte[] point, string keyId)
    {
        try
        {
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, KeyLength, point, Encoding.ASCII.GetBytes($"shop-payment-token-v1:{keyId}"));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }
}
