using System.Security.Cryptography;
using System.Text;
using Shop.Messaging.Signing;

namespace Shop.Messaging.Tests.Signing;

/// <summary>The signature itself: it holds for the message as signed, and for nothing else.</summary>
public sealed class When_a_signature_is_checked
{
    static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"messageId":"x","message":{"orderId":"1","amount":25.00}}""");
    static readonly SignedFields Fields = new("payments", "payments-1", "2026-12-01T10:00:00.000Z", Guid.Parse("6a4c0f6e-0000-4000-8000-000000000001"),
        "urn:message:shop:payments:payment-captured:v1");

    readonly string _signature = MessageSignature.Sign(Key, Fields, Body);

    [Fact]
    public void Should_verify_the_message_as_signed() => Assert.True(MessageSignature.Verify(Key, Fields, Body, _signature));

    [Fact]
    public void Should_fail_for_a_tampered_body()
    {
        var tampered = Encoding.UTF8.GetBytes("""{"messageId":"x","message":{"orderId":"1","amount":99.00}}""");
        Assert.False(MessageSignature.Verify(Key, Fields, tampered, _signature));
    }

    [Fact]
    public void Should_fail_for_another_message_type() =>
        Assert.False(MessageSignature.Verify(Key, Fields with { MessageTypes = "urn:message:shop:payments:payment-declined:v1" }, Body, _signature));

    [Fact]
    public void Should_fail_for_another_message_id() =>
        Assert.False(MessageSignature.Verify(Key, Fields with { MessageId = Guid.NewGuid() }, Body, _signature));

    [Fact]
    public void Should_fail_for_another_timestamp() =>
        Assert.False(MessageSignature.Verify(Key, Fields with { SignedAt = "2026-12-01T10:04:59.000Z" }, Body, _signature));

    [Fact]
    public void Should_fail_for_another_signer_or_key_id()
    {
        Assert.False(MessageSignature.Verify(Key, Fields with { Signer = "inventory" }, Body, _signature));
        Assert.False(MessageSignature.Verify(Key, Fields with { KeyId = "payments-2" }, Body, _signature));
    }

    [Fact]
    public void Should_fail_under_another_key()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(MessageSignature.Verify(other, Fields, Body, _signature));
    }

    [Fact]
    public void Should_fail_for_a_signature_that_is_not_base64() => Assert.False(MessageSignature.Verify(Key, Fields, Body, "not base64!"));

    [Fact]
    public void Should_read_a_key_as_pem_as_a_pem_file_and_as_base64()
    {
        var pem = Key.ExportSubjectPublicKeyInfoPem();
        var file = Path.GetTempFileName();
        File.WriteAllText(file, pem);
        try
        {
            foreach (var value in new[] { pem, file, Convert.ToBase64String(Key.ExportSubjectPublicKeyInfo()) })
            {
                using var loaded = MessageSignature.LoadKey(value, isPrivate: false, "test key");
                Assert.True(MessageSignature.Verify(loaded, Fields, Body, _signature));
            }

            using var signing = MessageSignature.LoadKey(Key.ExportPkcs8PrivateKeyPem(), isPrivate: true, "test key");
            Assert.True(MessageSignature.Verify(Key, Fields, Body, MessageSignature.Sign(signing, Fields, Body)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void Should_refuse_a_value_that_is_no_key()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MessageSignature.LoadKey("/no/such/file.pem", isPrivate: false, "PublicKeys:payments:p1"));
        Assert.Contains("PublicKeys:payments:p1", error.Message);
    }
}
