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

    /// <summary>CPU cost of one signature and one verification of a typical envelope (600 bytes), in microseconds.</summary>
    public static (double SignMicroseconds, double VerifyMicroseconds) CostPerMessage(int iterations = 5_000)
    {
        var body = new byte[600];
        Random.Shared.NextBytes(body);
        var fields = new SignedFields(Signer, Key.KeyId, MessageSignature.FormatTime(DateTimeOffset.UtcNow), Guid.NewGuid(), "urn:message:bench");
        var signature = MessageSignature.Sign(Key.Key, fields, body);
        for (var i = 0; i < 500; i++)
            MessageSignature.Verify(Key.Key, fields, body, MessageSignature.Sign(Key.Key, fields, body));

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
            signature = MessageSignature.Sign(Key.Key, fields, body);
        var signed = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        for (var i = 0; i < iterations; i++)
        {
            if (!MessageSignature.Verify(Key.Key, fields, body, signature))
                throw new InvalidOperationException("A signature did not verify.");
        }
        var verified = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        return (signed.TotalMicroseconds / iterations, verified.TotalMicroseconds / iterations);
    }

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
