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

        // Signature headers of an earlier hop (a re-sent stored message) are not part of this one.
        context.Headers.Set(MessageSignature.SignatureHeader, null);
        context.Headers.Set(MessageSignature.KeyIdHeader, null);
        context.Headers.Set(MessageSignature.SignerHeader, null);
        context.Headers.Set(MessageSignature.SignedAtHeader, null);

        var body = context.Serializer.GetMessageBody(context);
        var fields = new SignedFields(key.Signer, key.KeyId, MessageSignature.FormatTime(clock.GetUtcNow()), context.MessageId,
            string.Join(";", context.SupportedMessageTypes));
        var signature = MessageSignature.Sign(key.Key, fields, body.GetBytes());

        context.Serializer = new PresetBodySerializer(context.Serializer.ContentType, body);
        context.Headers.Set(MessageSignature.SignatureHeader, signature);
        context.Headers.Set(MessageSignature.KeyIdHeader, key.KeyId);
        context.Headers.Set(MessageSignature.SignerHeader, key.Signer);
        context.Headers.Set(MessageSignature.SignedAtHeader, fields.SignedAt);
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
