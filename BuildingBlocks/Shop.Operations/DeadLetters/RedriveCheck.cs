using Shop.Contracts;
using Shop.Messaging.Signing;
using Shop.Operations.Broker;

namespace Shop.Operations.DeadLetters;

/// <summary>
/// Decides whether a dead letter may be re-driven, before the operator key re-signs it: its original signature must
/// verify under the services' public keys and its signer be allowed, by the sender map the services apply, every type
/// its envelope names. Then it failed for age (its signature expired while it waited) or in a consumer, and goes back
/// in the name of that original signer. A message that was — or now would be — refused as unsigned, unknown-key,
/// forged or wrong-sender is refused here too, unless the operator names it (<see cref="RedriveVerdict.CanForce"/>).
/// </summary>
sealed class RedriveCheck(PublicKeys keys)
{
    /// <summary>What a verifier wrote into <see cref="MessageSignature.RejectedHeader"/> that no age explains.</summary>
    static readonly HashSet<string> SignatureRejections = new(StringComparer.OrdinalIgnoreCase) { "unsigned", "unknown-key", "forged", "wrong-sender" };

    static readonly MessageSenderMap Senders = new(MessageSenders.All, MessageConsumers.All);

    public RedriveVerdict Check(HeldMessage message)
    {
        var letter = message.Letter;
        var verdict = Verify(letter, message.Body);
        if (verdict.Refusal is null && Header(letter, MessageSignature.RejectedHeader) is { } rejected && SignatureRejections.Contains(rejected))
            verdict = verdict with { Refusal = rejected.ToLowerInvariant(), Detail = $"a service rejected it as {rejected}, although it verifies here" };

        if (verdict.Refusal is null)
            return verdict;

        // Named by the operator, it can go back only in the name of the one service the map allows every type of it.
        var claimed = Header(letter, MessageSignature.SignerHeader);
        var sender = Senders.SenderOfAll(letter.MessageTypes, claimed);
        return verdict with { Original = sender is null ? null : new OriginalSigner(sender, "-", "-") };
    }

    RedriveVerdict Verify(DeadLetter letter, byte[] body)
    {
        string? H(string name) => Header(letter, name);

        var signature = H(MessageSignature.SignatureHeader);
        var signer = H(MessageSignature.SignerHeader);
        var keyId = H(MessageSignature.KeyIdHeader);
        var signedAt = H(MessageSignature.SignedAtHeader);
        if (signature is null || signer is null || keyId is null || signedAt is null)
            return Refused("unsigned", "it carries no complete signature");
        if (!MessageSignature.TryReadOriginal(H, out var named))
            return Refused("unsigned", "it names part of an original signer");

        if (keys.Find(signer, keyId) is not { } publicKey)
        {
            return Refused("unknown-key", keys.Directory is null
                ? $"no public keys to verify '{signer}' key '{keyId}' with (--keys or {PublicKeys.DirectoryVariable})"
                : $"no public key '{keyId}' of '{signer}' in {keys.Directory}");
        }

        var messageId = Guid.TryParse(letter.Id, out var id) ? id : (Guid?)null;
        var fields = new SignedFields(signer, keyId, signedAt, messageId, string.Join(";", letter.MessageTypes), named);
        if (!MessageSignature.Verify(publicKey, fields, body, signature))
            return Refused("forged", $"the signature does not match the message under '{signer}' key '{keyId}'");

        // Who the services hold to the sender map: the signer itself; a re-drive's original signer; on a service's own
        // redelivery (a consumer of every type re-signing what it received), the original it names.
        OriginalSigner original;
        if (string.Equals(signer, MessageSignature.OperatorSigner, StringComparison.OrdinalIgnoreCase))
        {
            if (named is null)
                return Refused("wrong-sender", "signed by the operator key without naming its original signer");
            original = named;
        }
        else if (named is null)
        {
            original = new OriginalSigner(signer, keyId, signedAt);
        }
        else if (ConsumesAll(signer, letter.MessageTypes))
        {
            original = named;
        }
        else
        {
            return Refused("wrong-sender", $"'{signer}' names an original signer but is no consumer of the message");
        }

        return Senders.Refusal(original.Signer, letter.MessageTypes) is { } refusal
            ? Refused("wrong-sender", refusal)
            : new RedriveVerdict(null, $"signed by '{original.Signer}'", original);
    }

    /// <summary>
    /// The services that receive each type: its consumers; for <c>Fault&lt;T&gt;</c>, the sender of <c>T</c> (the saga
    /// hears of the commands it sent). Only a receiver re-signs a message as its own redelivery.
    /// </summary>
    static readonly Dictionary<string, HashSet<string>> ReceiversByUrn = BuildReceivers();

    static Dictionary<string, HashSet<string>> BuildReceivers()
    {
        var receivers = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        void Add(string urn, string service)
        {
            if (!receivers.TryGetValue(urn, out var services))
                receivers[urn] = services = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            services.Add(service);
        }

        foreach (var (type, consumers) in MessageConsumers.All)
        {
            foreach (var consumer in consumers)
                Add(MassTransit.MessageUrn.ForTypeString(type), consumer);
        }

        foreach (var (type, sender) in MessageSenders.All)
            Add(MassTransit.MessageUrn.ForTypeString(typeof(MassTransit.Fault<>).MakeGenericType(type)), sender);
        return receivers;
    }

    static bool ConsumesAll(string signer, IReadOnlyList<string> messageTypes)
    {
        var types = messageTypes.Where(x => !string.Equals(x, MessageSenderMap.FaultUrn, StringComparison.OrdinalIgnoreCase)).ToList();
        return types.Count > 0 && types.All(urn => ReceiversByUrn.TryGetValue(urn, out var services) && services.Contains(signer));
    }

    static RedriveVerdict Refused(string reason, string detail) => new(reason, detail, null);

    static string? Header(DeadLetter letter, string name) =>
        letter.Headers.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
}

/// <param name="Refusal">Null when the message may be re-driven; else why not: unsigned, unknown-key, forged, wrong-sender.</param>
/// <param name="Original">In whose name the operator key re-signs it: its verified original signer, or — for a refused
/// message — the one service the sender map allows every type of it (null: none, it can never go back).</param>
sealed record RedriveVerdict(string? Refusal, string Detail, OriginalSigner? Original)
{
    public bool CanForce => Refusal is not null && Original is not null;
}
