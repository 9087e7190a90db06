using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Shop.Messaging.Signing;

/// <summary>
/// The signature of one message as it goes on the wire: ECDSA P-256 (SHA-256, IEEE P1363) over the signer, key id,
/// signing time, message id, message types, the original signer of a re-sent message (a re-drive, a durable
/// redelivery) and the exact body bytes. Depends on the BCL alone, so
/// that <c>shop-admin</c> compiles the same file to re-sign what it re-drives.
/// </summary>
// Internal where it is compiled into shop-admin, so that a project referencing both sees one type.
#if SHOP_ADMIN
internal
#else
public
#endif
static class MessageSignature
{
    public const string SignatureHeader = "Shop-Signature";
    public const string KeyIdHeader = "Shop-Signature-KeyId";
    public const string SignerHeader = "Shop-Signer";
    public const string SignedAtHeader = "Shop-Signed-At";

    /// <summary>Set on a message moved to <c>_error</c> because its signature was refused: why.</summary>
    public const string RejectedHeader = "Shop-Signature-Rejected";

    /// <summary>
    /// Who signed a message first, on a message re-signed by someone else: by the operator key (<c>shop-admin errors
    /// redrive</c>) or by the receiving service putting back its own failed delivery. Covered by the new signature; the
    /// verifier applies the sender map to this signer, not to the one who re-signed.
    /// </summary>
    public const string OriginalSignerHeader = "Shop-Original-Signer";

    public const string OriginalKeyIdHeader = "Shop-Original-KeyId";
    public const string OriginalSignedAtHeader = "Shop-Original-Signed-At";

    /// <summary>
    /// The signer name of the operator key (<c>shop-admin</c>). It vouches for a re-driven message's original signer
    /// (<see cref="OriginalSignerHeader"/>) and is accepted for what that signer may send, never on its own.
    /// </summary>
    public const string OperatorSigner = "operator";

    const string Version = "shop-signature-v1";

    // A signature that names an original signer hashes three more lines; its own version keeps the two formats apart.
    const string VersionWithOriginal = "shop-signature-v1-original";

    /// <summary>The value of <see cref="SignedAtHeader"/>: UTC, millisecond precision, ISO 8601.</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static bool TryParseTime(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(value, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>
    /// The original signer a message names in its headers: null when it names none; false when it names only part of
    /// one (which no signer writes).
    /// </summary>
    public static bool TryReadOriginal(Func<string, string?> header, out OriginalSigner? original)
    {
        var signer = header(OriginalSignerHeader);
        var keyId = header(OriginalKeyIdHeader);
        var signedAt = header(OriginalSignedAtHeader);
        original = null;
        if (string.IsNullOrEmpty(signer) && string.IsNullOrEmpty(keyId) && string.IsNullOrEmpty(signedAt))
            return true;
        if (string.IsNullOrEmpty(signer) || string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(signedAt))
            return false;
        original = new OriginalSigner(signer, keyId, signedAt);
        return true;
    }

    public static string Sign(ECDsa key, in SignedFields fields, ReadOnlySpan<byte> body) =>
        Convert.ToBase64String(key.SignHash(Hash(fields, body), DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static bool Verify(ECDsa key, in SignedFields fields, ReadOnlySpan<byte> body, string signature)
    {
        Span<byte> decoded = stackalloc byte[132];
        if (!Convert.TryFromBase64String(signature, decoded, out var length))
            return false;
        return key.VerifyHash(Hash(fields, body), decoded[..length], DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    static byte[] Hash(in SignedFields fields, ReadOnlySpan<byte> body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // One field per line, in a fixed order; no field may contain a line break, so no two field sets hash alike.
        var prefix = fields.Original is { } original
            ? string.Join('\n', VersionWithOriginal, Clean(fields.Signer), Clean(fields.KeyId), Clean(fields.SignedAt),
                fields.MessageId?.ToString("D") ?? "", Clean(fields.MessageTypes), Clean(original.Signer), Clean(original.KeyId),
                Clean(original.SignedAt), "")
            : string.Join('\n', Version, Clean(fields.Signer), Clean(fields.KeyId), Clean(fields.SignedAt),
                fields.MessageId?.ToString("D") ?? "", Clean(fields.MessageTypes), "");
        hash.AppendData(Encoding.UTF8.GetBytes(prefix));
        hash.AppendData(body);
        return hash.GetHashAndReset();
    }

    static string Clean(string value) => value.Replace('\n', ' ').Replace('\r', ' ');

    /// <summary>
    /// Reads a key: PEM text, a path to a PEM file, or base64 DER (PKCS#8 for a private key, SubjectPublicKeyInfo for a
    /// public one). Returns null with a reason when it is none of them.
    /// </summary>
    public static ECDsa LoadKey(string value, bool isPrivate, string what)
    {
        var key = ECDsa.Create();
        try
        {
            ImportKey(key, value, isPrivate);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidOperationException(
                $"{what} is neither PEM, an existing PEM file nor base64 DER of an ECDSA {(isPrivate ? "private" : "public")} key: {exception.Message}",
                exception);
        }

        if (key.KeySize != 256)
        {
            key.Dispose();
            throw new InvalidOperationException($"{what} is a {key.KeySize}-bit key; message signing uses ECDSA P-256.");
        }

        return key;
    }

    /// <summary>
    /// Imports into <paramref name="key"/> (ECDSA for signatures, ECDH for payment tokens) PEM text, the PEM file a path
    /// names, or base64 DER: PKCS#8 for a private key, SubjectPublicKeyInfo for a public one.
    /// </summary>
    public static void ImportKey(AsymmetricAlgorithm key, string value, bool isPrivate)
    {
        var text = value.Trim();
        if (!text.StartsWith("-----BEGIN", StringComparison.Ordinal) && File.Exists(text))
            text = File.ReadAllText(text);

        if (text.StartsWith("-----BEGIN", StringComparison.Ordinal))
            key.ImportFromPem(text);
        else if (isPrivate)
            key.ImportPkcs8PrivateKey(Convert.FromBase64String(text), out _);
        else
            key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(text), out _);
    }
}

/// <summary>What a message signature covers besides the body.</summary>
#if SHOP_ADMIN
internal
#else
public
#endif
readonly record struct SignedFields(string Signer, string KeyId, string SignedAt, Guid? MessageId, string MessageTypes,
    OriginalSigner? Original = null);

/// <summary>
/// The first signature of a re-sent message: its signer, key id and signing time (<c>-</c> for a message the operator
/// re-drove although it had no valid signature).
/// </summary>
#if SHOP_ADMIN
internal
#else
public
#endif
sealed record OriginalSigner(string Signer, string KeyId, string SignedAt);
