using System.Net.Mime;
using MassTransit;

namespace Shop.Messaging.Signing;

/// <summary>
/// Signs every message at the moment the transport sends it — after the send pipe, the outbox's stored-message pipe
/// included, has set its id, types and headers — so an outbox row, a scheduled timeout or a durable redelivery is
/// signed when it actually leaves, not when it was written. The body is serialized here once, signed, and handed to
/// the transport as it is; the signature headers travel as transport headers beside it.
/// </summary>
public sealed class MessageSigningObserver(Func<Type, SigningKey?> keyFor, TimeProvider clock) : ISendObserver, IPublishObserver
{
    public MessageSigningObserver(SigningKey key, TimeProvider clock)
        : this(_ => key, clock)
    {
    }

    public Task PreSend<T>(SendContext<T> context)
        where T : class
    {
        Sign(context);
        return Task.CompletedTask;
    }

    public Task PrePublish<T>(PublishContext<T> context)
        where T : class
    {
        Sign(context);
        return Task.CompletedTask;
    }

    void Sign<T>(SendContext<T> context)
        where T : class
    {
        // A publish passes both observers when the same transport serves it; the first signature stands.
        if (context.Serializer is PresetBodySerializer || keyFor(typeof(T)) is not { } key)
            return;

        // A durable redelivery puts back a message this service received: it names who signed that message first, so
        // verifiers hold the original sender to the sender map, not this service.
        var original = context.Headers.Get<int>(MessageHeaders.RedeliveryCount) > 0 ? OriginalOf(context.Headers) : null;

        // Signature headers of an earlier hop (a re-sent stored message) are not part of this one.
        foreach (var name in SignatureHeaders)
            context.Headers.Set(name, null);

        var body = context.Serializer.GetMessageBody(context);
        var fields = new SignedFields(key.Signer, key.KeyId, MessageSignature.FormatTime(clock.GetUtcNow()), context.MessageId,
            string.Join(";", context.SupportedMessageTypes), original);
        var signature = MessageSignature.Sign(key.Key, fields, body.GetBytes());

        context.Serializer = new PresetBodySerializer(context.Serializer.ContentType, body);
        context.Headers.Set(MessageSignature.SignatureHeader, signature);
        context.Headers.Set(MessageSignature.KeyIdHeader, key.KeyId);
        context.Headers.Set(MessageSignature.SignerHeader, key.Signer);
        context.Headers.Set(MessageSignature.SignedAtHeader, fields.SignedAt);
        if (original is not null)
        {
            context.Headers.Set(MessageSignature.OriginalSignerHeader, original.Signer);
            context.Headers.Set(MessageSignature.OriginalKeyIdHeader, original.KeyId);
            context.Headers.Set(MessageSignature.OriginalSignedAtHeader, original.SignedAt);
        }
    }

    static readonly string[] SignatureHeaders =
    [
        MessageSignature.SignatureHeader, MessageSignature.KeyIdHeader, MessageSignature.SignerHeader, MessageSignature.SignedAtHeader,
        MessageSignature.OriginalSignerHeader, MessageSignature.OriginalKeyIdHeader, MessageSignature.OriginalSignedAtHeader,
    ];

    /// <summary>The first signer of the received copy: the one it names, else the one who signed it.</summary>
    static OriginalSigner? OriginalOf(SendHeaders headers)
    {
        if (MessageSignature.TryReadOriginal(name => headers.Get<string>(name), out var named) && named is not null)
            return named;
        var signer = headers.Get<string>(MessageSignature.SignerHeader);
        var keyId = headers.Get<string>(MessageSignature.KeyIdHeader);
        var signedAt = headers.Get<string>(MessageSignature.SignedAtHeader);
        return string.IsNullOrEmpty(signer) || string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(signedAt)
            ? null
            : new OriginalSigner(signer, keyId, signedAt);
    }

    public Task PostSend<T>(SendContext<T> context)
        where T : class =>
        Task.CompletedTask;

    public Task SendFault<T>(SendContext<T> context, Exception exception)
        where T : class =>
        Task.CompletedTask;

    public Task PostPublish<T>(PublishContext<T> context)
        where T : class =>
        Task.CompletedTask;

    public Task PublishFault<T>(PublishContext<T> context, Exception exception)
        where T : class =>
        Task.CompletedTask;

    /// <summary>Hands the transport the body that was signed, byte for byte.</summary>
    sealed class PresetBodySerializer(ContentType contentType, MessageBody body) : IMessageSerializer
    {
        public ContentType ContentType { get; } = contentType;

        public MessageBody GetMessageBody<T>(SendContext<T> context)
            where T : class =>
            body;
    }
}
