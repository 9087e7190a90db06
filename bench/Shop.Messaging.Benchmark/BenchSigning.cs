using System.Security.Cryptography;
using Shop.Messaging.Signing;

namespace Shop.Messaging.Benchmark;

/// <summary>
/// Message signing for the pass-through: one key generated in the process, the host signing as <c>bench</c> and sending
/// both bench messages; the queue loader signs the commands with it, as a service would have.
/// </summary>
static class BenchSigning
{
    public const string Signer = "bench";

    public static readonly SigningKey Key = new(Signer, "bench-1", ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static readonly IReadOnlyDictionary<Type, string> Senders = new Dictionary<Type, string>
    {
        [typeof(BenchCommand)] = Signer,
        [typeof(BenchEvent)] = Signer,
    };

    /// <summary>Configuration with the key; none at all when off (the host runs in Development, where that means unsigned).</summary>
    public static Dictionary<string, string?> Settings(bool on) => on
        ? new()
        {
            [$"{SigningOptions.Section}:Service"] = Signer,
            [$"{SigningOptions.Section}:KeyId"] = Key.KeyId,
            [$"{SigningOptions.Section}:PrivateKey"] = Key.Key.ExportPkcs8PrivateKeyPem(),
        }
        : [];

    public static Dictionary<string, object?> Headers(byte[] body, Guid messageId, string messageType)
    {
        var fields = new SignedFields(Signer, Key.KeyId, MessageSignature.FormatTime(DateTimeOffset.UtcNow), messageId, messageType);
        return new()
        {
            [MessageSignature.SignatureHeader] = MessageSignature.Sign(Key.Key, fields, body),
            [MessageSignature.KeyIdHeader] = Key.KeyId,
            [MessageSignature.SignerHeader] = Signer,
            [MessageSignature.SignedAtHeader] = fields.SignedAt,
        };
    }
}
