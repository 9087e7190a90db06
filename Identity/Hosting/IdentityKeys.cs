using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Identity.Hosting;

/// <summary>
/// The provider's keys, from files scripts/dev-keys.sh generates once per machine (never committed): an ES256 signing
/// key, published in JWKS under a kid derived from its public key (stable across restarts and instances), and the AES
/// key OpenIddict encrypts its codes and refresh tokens with (it must persist too, or a restart voids them).
/// </summary>
public sealed record IdentityKeys(ECDsaSecurityKey Signing, SymmetricSecurityKey Encryption)
{
    public const string SigningFile = "signing.pem";
    public const string EncryptionFile = "encryption.key";

    /// <exception cref="InvalidOperationException">A file is missing or not a P-256 key / 32 bytes; the message names it.</exception>
    public static IdentityKeys Load(string directory)
    {
        var signingPath = Path.Combine(directory, SigningFile);
        var encryptionPath = Path.Combine(directory, EncryptionFile);
        if (!File.Exists(signingPath) || !File.Exists(encryptionPath))
            throw new InvalidOperationException($"Identity keys missing: {signingPath} and {encryptionPath} are required " +
                "(bash scripts/dev-keys.sh generates them locally; mount your own elsewhere).");

        // Not disposed: the security key uses it for every signature for the life of the process.
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(File.ReadAllText(signingPath));
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException($"{signingPath} is not a PEM private key.", exception);
        }
        if (ecdsa.KeySize != 256)
            throw new InvalidOperationException($"{signingPath} must be a P-256 key (ES256); it has {ecdsa.KeySize} bits.");

        byte[] encryption;
        try
        {
            encryption = Convert.FromBase64String(File.ReadAllText(encryptionPath).Trim());
        }
        catch (FormatException exception)
        {
            throw new InvalidOperationException($"{encryptionPath} must be base64 of 32 random bytes.", exception);
        }
        if (encryption.Length != 32)
            throw new InvalidOperationException($"{encryptionPath} must be base64 of 32 random bytes; it has {encryption.Length}.");

        return new IdentityKeys(new ECDsaSecurityKey(ecdsa) { KeyId = KeyIdOf(ecdsa) }, new SymmetricSecurityKey(encryption));
    }

    /// <summary>The first 16 hex digits of the SHA-256 of the public key: the same key always has the same kid.</summary>
    public static string KeyIdOf(ECDsa key) =>
        Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];

    /// <summary>A secret file's content, trimmed; null when there is none.</summary>
    public static string? ReadSecret(string? directory, string relativePath)
    {
        if (directory is null)
            return null;
        var path = Path.Combine(directory, relativePath);
        return File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } secret ? secret : null;
    }
}
