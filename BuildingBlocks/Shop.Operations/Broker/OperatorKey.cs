using System.Security.Cryptography;
using Shop.Messaging.Signing;

namespace Shop.Operations.Broker;

/// <summary>
/// The operator's message-signing key: a re-driven message is re-signed with it (signer <c>operator</c>) in the name of
/// its original signer, so a message that waited in <c>_error</c> longer than the replay window is accepted again for
/// what that signer may send — and for nothing else. From <c>--operator-key</c> or <c>SHOP_OPERATOR_KEY</c>: a PEM file, PEM text or base64 PKCS#8.
/// </summary>
public sealed record OperatorKey(string KeyId, ECDsa Key)
{
    public const string KeyVariable = "SHOP_OPERATOR_KEY";
    public const string KeyIdVariable = "SHOP_OPERATOR_KEY_ID";
    const string FileSuffix = ".private.pem";

    /// <summary>The key from its option, else its environment variable; null when neither is set.</summary>
    /// <exception cref="OperatorKeyException">The key is unreadable, or its id is neither given nor in its file name.</exception>
    public static OperatorKey? Resolve(string? key, string? keyId)
    {
        key ??= Environment.GetEnvironmentVariable(KeyVariable);
        if (string.IsNullOrWhiteSpace(key))
            return null;

        keyId ??= Environment.GetEnvironmentVariable(KeyIdVariable);
        if (string.IsNullOrWhiteSpace(keyId) && key.EndsWith(FileSuffix, StringComparison.Ordinal))
            keyId = Path.GetFileName(key)[..^FileSuffix.Length];
        if (string.IsNullOrWhiteSpace(keyId))
            throw new OperatorKeyException($"The operator key's id is needed: --operator-key-id or {KeyIdVariable} (or a file named <key id>{FileSuffix}).");

        try
        {
            return new OperatorKey(keyId, MessageSignature.LoadKey(key, isPrivate: true, "the operator key"));
        }
        catch (InvalidOperationException exception)
        {
            throw new OperatorKeyException(exception.Message, exception);
        }
    }

    /// <summary>
    /// Signs a re-driven message now, as the transport carries it: the same fields a service signs, and the original
    /// signer in whose name it goes back — the services hold that signer, not the operator, to the sender map.
    /// </summary>
    internal IEnumerable<KeyValuePair<string, object?>> Sign(Guid? messageId, IReadOnlyList<string> messageTypes, byte[] body,
        OriginalSigner original, DateTimeOffset now)
    {
        var fields = new SignedFields(MessageSignature.OperatorSigner, KeyId, MessageSignature.FormatTime(now), messageId,
            string.Join(";", messageTypes), original);
        yield return new(MessageSignature.SignatureHeader, MessageSignature.Sign(Key, fields, body));
        yield return new(MessageSignature.KeyIdHeader, KeyId);
        yield return new(MessageSignature.SignerHeader, MessageSignature.OperatorSigner);
        yield return new(MessageSignature.SignedAtHeader, fields.SignedAt);
        yield return new(MessageSignature.OriginalSignerHeader, original.Signer);
        yield return new(MessageSignature.OriginalKeyIdHeader, original.KeyId);
        yield return new(MessageSignature.OriginalSignedAtHeader, original.SignedAt);
    }
}

/// <summary>The operator key given is unreadable or has no id.</summary>
public sealed class OperatorKeyException(string message, Exception? innerException = null) : Exception(message, innerException);
