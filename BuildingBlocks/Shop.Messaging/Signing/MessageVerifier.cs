namespace Shop.Messaging.Signing;

/// <summary>
/// The verdict on one received message, apart from MassTransit so every branch can be tested on its own: signed, by a
/// key in the ring, unaltered, sent within the replay window, and by a signer the sender map allows for every type the
/// envelope names. The signer the map is applied to is the message's own, except on a re-sent message:
/// <list type="bullet">
/// <item>signed by the operator key (a re-drive): the original signer it names, which it must;</item>
/// <item>signed by this service on one of its own durable redeliveries (<c>MT-Redelivery-Count</c> &gt; 0): the
/// original signer it names, else itself.</item>
/// </list>
/// No one else may name an original signer. Anything else throws <see cref="MessageRejectedException"/>.
/// </summary>
public sealed class MessageVerifier(SigningKeyRing keys, MessageSenderMap senders, SigningOptions options, TimeProvider clock)
{
    /// <param name="header">A transport header of the message, null when absent.</param>
    /// <param name="messageTypes">The message types of the envelope, as MassTransit read them.</param>
    /// <param name="body">The body as received, byte for byte.</param>
    /// <param name="redeliveryCount">MassTransit's redelivery count (a header inside the signed body).</param>
    public void Verify(Func<string, string?> header, Guid? messageId, IReadOnlyList<string> messageTypes, ReadOnlySpan<byte> body,
        int redeliveryCount)
    {
        var signature = header(MessageSignature.SignatureHeader);
        var signer = header(MessageSignature.SignerHeader);
        var keyId = header(MessageSignature.KeyIdHeader);
        var signedAtText = header(MessageSignature.SignedAtHeader);
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(signer) || string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(signedAtText))
            throw new MessageRejectedException("unsigned", $"no {MessageSignature.SignatureHeader}, {MessageSignature.SignerHeader}, {MessageSignature.KeyIdHeader} and {MessageSignature.SignedAtHeader} headers");

        if (!MessageSignature.TryParseTime(signedAtText, out var signedAt))
            throw new MessageRejectedException("unsigned", $"{MessageSignature.SignedAtHeader} '{signedAtText}' is not a UTC time");

        if (!MessageSignature.TryReadOriginal(header, out var original))
            throw new MessageRejectedException("unsigned", $"{MessageSignature.OriginalSignerHeader}, {MessageSignature.OriginalKeyIdHeader} and {MessageSignature.OriginalSignedAtHeader} come together or not at all");

        if (keys.PublicKey(signer, keyId) is not { } publicKey)
            throw new MessageRejectedException("unknown-key", $"no public key '{keyId}' of '{signer}'");

        var fields = new SignedFields(signer, keyId, signedAtText, messageId, string.Join(";", messageTypes), original);
        if (!MessageSignature.Verify(publicKey, fields, body, signature))
            throw new MessageRejectedException("forged", $"the signature does not match the message under '{signer}' key '{keyId}'");

        var now = clock.GetUtcNow();
        if (signedAt < now - options.ReplayWindow - options.ClockSkew)
            throw new MessageRejectedException("expired", $"sent at {signedAtText}, older than the replay window ({options.ReplayWindow})");
        if (signedAt > now + options.ClockSkew)
            throw new MessageRejectedException("future", $"sent at {signedAtText}, ahead of this clock by more than {options.ClockSkew}");

        var sender = SenderToCheck(signer, original, redeliveryCount);
        if (senders.Refusal(sender, messageTypes) is { } refusal)
        {
            var onBehalf = string.Equals(sender, signer, StringComparison.OrdinalIgnoreCase) ? "" : $" (original signer, re-signed by '{signer}')";
            throw new MessageRejectedException("wrong-sender", refusal + onBehalf);
        }
    }

    string SenderToCheck(string signer, OriginalSigner? original, int redeliveryCount)
    {
        if (string.Equals(signer, MessageSignature.OperatorSigner, StringComparison.OrdinalIgnoreCase))
        {
            // The operator key alone is a key to nothing: it vouches only for who signed a re-driven message first.
            if (original is null || string.Equals(original.Signer, MessageSignature.OperatorSigner, StringComparison.OrdinalIgnoreCase))
                throw new MessageRejectedException("wrong-sender", $"the operator key signs only re-driven messages, which name their original signer ({MessageSignature.OriginalSignerHeader})");
            return original.Signer;
        }

        if (original is null)
            return signer;

        // This service putting back its own failed delivery: it verified the original when it first received it.
        if (redeliveryCount > 0 && string.Equals(signer, keys.Service, StringComparison.OrdinalIgnoreCase))
            return original.Signer;

        throw new MessageRejectedException("wrong-sender",
            $"'{signer}' names an original signer, which only the operator key or this service's own redelivery may");
    }
}
