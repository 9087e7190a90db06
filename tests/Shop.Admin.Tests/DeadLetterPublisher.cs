using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using Shop.Messaging.Signing;
using Shop.Testing;

namespace Shop.Admin.Tests;

/// <summary>
/// Puts a hand-made MassTransit envelope straight into an error queue, as a verifier would have moved it there: signed
/// (or not) as a test says, with the rejection header a test chooses. What an attacker with broker credentials could
/// leave in <c>_error</c> for a routine re-drive.
/// </summary>
public sealed class DeadLetterPublisher(TestVirtualHost virtualHost)
{
    public const string ChargePaymentUrn = "urn:message:shop:payments:charge-payment:v1";

    /// <summary>A <c>ChargePayment</c> for <paramref name="orderId"/> with the given payment token, as an envelope.</summary>
    public static byte[] ChargeBody(Guid messageId, Guid orderId, IReadOnlyList<string> messageTypes, string paymentToken = "tok_visa",
        string customerId = "customer-1") =>
        JsonSerializer.SerializeToUtf8Bytes(new
        {
            messageId,
            messageType = messageTypes,
            message = new { orderId, customerId, amount = 25.00m, paymentToken },
            sentTime = DateTimeOffset.UtcNow,
        });

    /// <summary>Headers signing <paramref name="body"/> as <paramref name="signer"/> did at <paramref name="signedAt"/> (with another private key when given).</summary>
    public static Dictionary<string, object?> Signature(string signer, Guid messageId, IReadOnlyList<string> messageTypes, byte[] body,
        DateTimeOffset signedAt, ECDsa? forgedWith = null, string? keyId = null, string? originalSigner = null)
    {
        var key = TestSigningKeys.For(signer);
        var original = originalSigner is null
            ? null
            : new OriginalSigner(originalSigner, TestSigningKeys.For(originalSigner).KeyId, MessageSignature.FormatTime(signedAt));
        var fields = new SignedFields(signer, keyId ?? key.KeyId, MessageSignature.FormatTime(signedAt), messageId, string.Join(";", messageTypes), original);
        var headers = new Dictionary<string, object?>
        {
            [MessageSignature.SignatureHeader] = MessageSignature.Sign(forgedWith ?? key.Key, fields, body),
            [MessageSignature.SignerHeader] = signer,
            [MessageSignature.KeyIdHeader] = fields.KeyId,
            [MessageSignature.SignedAtHeader] = fields.SignedAt,
        };
        if (original is not null)
        {
            headers[MessageSignature.OriginalSignerHeader] = original.Signer;
            headers[MessageSignature.OriginalKeyIdHeader] = original.KeyId;
            headers[MessageSignature.OriginalSignedAtHeader] = original.SignedAt;
        }

        return headers;
    }

    public async Task PublishAsync(string errorQueue, Guid messageId, byte[] body, IDictionary<string, object?> headers)
    {
        var factory = new ConnectionFactory
        {
            HostName = TestServers.RabbitMqHost,
            VirtualHost = virtualHost.Name,
            UserName = TestServers.RabbitMqUser,
            Password = TestServers.RabbitMqPassword,
        };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await channel.QueueDeclareAsync(errorQueue, durable: true, exclusive: false, autoDelete: false);
        var properties = new BasicProperties
        {
            MessageId = messageId.ToString(),
            ContentType = "application/vnd.masstransit+json",
            Persistent = true,
            Headers = headers.ToDictionary(x => x.Key, x => x.Value is string text ? (object?)Encoding.UTF8.GetBytes(text) : x.Value),
        };
        await channel.BasicPublishAsync("", errorQueue, mandatory: true, properties, body);
    }
}
