using MassTransit;
using Microsoft.Extensions.Logging;

namespace Shop.Messaging.Signing;

/// <summary>
/// Verifies every received message before anything consumes it: signed, by a key in the ring, unaltered, sent within
/// the replay window, by the service allowed to send its type — or by the operator key (a re-drive), or by this
/// service itself when it is one of its own durable redeliveries. Anything else throws
/// <see cref="MessageRejectedException"/> outside every retry, so the message goes straight to <c>_error</c>.
/// </summary>
sealed class SignatureVerificationFilter(SigningKeyRing keys, MessageSenderMap senders, SigningOptions options, TimeProvider clock,
    ILogger logger) : IFilter<ConsumeContext>
{
    public void Probe(ProbeContext context) => context.CreateFilterScope("shop-signature-verification");

    public Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        if (!context.ReceiveContext.TryGetPayload(out VerifiedSignature? _))
        {
            try
            {
                Verify(context);
            }
            catch (MessageRejectedException exception)
            {
                logger.LogWarning("{MessageType} {MessageId} on {InputAddress} rejected: {Reason}",
                    string.Join(";", context.SupportedMessageTypes), context.MessageId, context.ReceiveContext.InputAddress, exception.Message);
                throw;
            }

            context.ReceiveContext.GetOrAddPayload(() => new VerifiedSignature());
        }

        return next.Send(context);
    }

    void Verify(ConsumeContext context)
    {
        var headers = context.ReceiveContext.TransportHeaders;
        var signature = headers.Get<string>(MessageSignature.SignatureHeader);
        var signer = headers.Get<string>(MessageSignature.SignerHeader);
        var keyId = headers.Get<string>(MessageSignature.KeyIdHeader);
        var signedAtText = headers.Get<string>(MessageSignature.SignedAtHeader);
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(signer) || string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(signedAtText))
            throw new MessageRejectedException("unsigned", $"no {MessageSignature.SignatureHeader}, {MessageSignature.SignerHeader}, {MessageSignature.KeyIdHeader} and {MessageSignature.SignedAtHeader} headers");

        if (!MessageSignature.TryParseTime(signedAtText, out var signedAt))
            throw new MessageRejectedException("unsigned", $"{MessageSignature.SignedAtHeader} '{signedAtText}' is not a UTC time");

        if (keys.PublicKey(signer, keyId) is not { } publicKey)
            throw new MessageRejectedException("unknown-key", $"no public key '{keyId}' of '{signer}'");

        var messageTypes = string.Join(";", context.SupportedMessageTypes);
        var fields = new SignedFields(signer, keyId, signedAtText, context.MessageId, messageTypes);
        if (!MessageSignature.Verify(publicKey, fields, context.ReceiveContext.Body.GetBytes(), signature))
            throw new MessageRejectedException("forged", $"the signature does not match the message under '{signer}' key '{keyId}'");

        var now = clock.GetUtcNow();
        if (signedAt < now - options.ReplayWindow - options.ClockSkew)
            throw new MessageRejectedException("expired", $"sent at {signedAtText}, older than the replay window ({options.ReplayWindow})");
        if (signedAt > now + options.ClockSkew)
            throw new MessageRejectedException("future", $"sent at {signedAtText}, ahead of this clock by more than {options.ClockSkew}");

        if (string.Equals(signer, MessageSignature.OperatorSigner, StringComparison.OrdinalIgnoreCase))
            return;
        // This service's own durable redelivery: it verified the original when it first received it.
        if (context.GetRedeliveryCount() > 0 && string.Equals(signer, keys.Service, StringComparison.OrdinalIgnoreCase))
            return;

        var known = false;
        foreach (var urn in context.SupportedMessageTypes)
        {
            if (senders.SenderOf(urn) is not { } allowed)
                continue;
            known = true;
            if (allowed != MessageSenderMap.AnyService && !string.Equals(allowed, signer, StringComparison.OrdinalIgnoreCase))
                throw new MessageRejectedException("wrong-sender", $"{urn} may only be sent by '{allowed}', not by '{signer}'");
        }

        if (!known)
            throw new MessageRejectedException("wrong-sender", $"no sender is registered for {messageTypes}");
    }

    sealed class VerifiedSignature;
}
