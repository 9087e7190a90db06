using System.Security.Cryptography;
using Shop.Messaging.PaymentTokens;
using Shop.Testing;

namespace Shop.Payments.Tests;

/// <summary>The sealed form: opens for its own order with Payments' key, and for nothing else.</summary>
public sealed class When_a_sealed_token_is_opened
{
    readonly Guid _orderId = Guid.NewGuid();

    [Fact]
    public void Should_give_back_the_token_for_its_order()
    {
        var sealedToken = TestPaymentTokenKeys.Seal("tok_visa", _orderId);

        Assert.StartsWith($"pt1.{TestPaymentTokenKeys.KeyId}.", sealedToken);
        Assert.DoesNotContain("tok_visa", sealedToken, StringComparison.Ordinal);
        Assert.Equal("tok_visa", TestPaymentTokenKeys.Open(sealedToken, _orderId));
    }

    [Fact]
    public void Should_seal_the_same_token_differently_each_time() =>
        Assert.NotEqual(TestPaymentTokenKeys.Seal("tok_visa", _orderId), TestPaymentTokenKeys.Seal("tok_visa", _orderId));

    [Fact]
    public void Should_not_open_for_another_order() =>
        Assert.Throws<AuthenticationTagMismatchException>(() => TestPaymentTokenKeys.Open(TestPaymentTokenKeys.Seal("tok_visa", _orderId), Guid.NewGuid()));

    [Fact]
    public void Should_not_open_when_tampered_with()
    {
        var sealedToken = TestPaymentTokenKeys.Seal("tok_visa", _orderId);
        // A character well inside the ciphertext (the last one may carry only padding bits).
        var at = sealedToken.Length - 10;
        var tampered = sealedToken[..at] + (sealedToken[at] == 'A' ? 'B' : 'A') + sealedToken[(at + 1)..];

        Assert.ThrowsAny<CryptographicException>(() => TestPaymentTokenKeys.Open(tampered, _orderId));
    }

    [Fact]
    public void Should_not_open_with_another_key()
    {
        using var other = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var sealedToken = SealedPaymentToken.Seal(other, TestPaymentTokenKeys.KeyId, "tok_visa", _orderId);

        Assert.ThrowsAny<CryptographicException>(() => TestPaymentTokenKeys.Open(sealedToken, _orderId));
    }

    [Fact]
    public void Should_name_an_unknown_key_id()
    {
        var sealedToken = SealedPaymentToken.Seal(TestPaymentTokenKeys.Key, "retired-key", "tok_visa", _orderId);

        var failure = Assert.ThrowsAny<CryptographicException>(() => TestPaymentTokenKeys.Open(sealedToken, _orderId));
        Assert.Contains("retired-key", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Should_refuse_a_clear_token() =>
        Assert.ThrowsAny<CryptographicException>(() => TestPaymentTokenKeys.Open("tok_visa", _orderId));
}

/// <summary>The key directory scripts/dev-keys.sh writes: Orders seals with the public key file, Payments opens with the private one.</summary>
public sealed class When_the_token_keys_come_from_a_directory
{
    [Fact]
    public void Should_seal_with_the_public_file_and_open_with_the_private_one()
    {
        var directory = Directory.CreateTempSubdirectory("shop-token-keys-").FullName;
        using var key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        File.WriteAllText(Path.Combine(directory, "payment-token-dev.public.pem"), key.ExportSubjectPublicKeyInfoPem());
        File.WriteAllText(Path.Combine(directory, "payment-token-dev.private.pem"), key.ExportPkcs8PrivateKeyPem());
        var orderId = Guid.NewGuid();

        var sealer = new PaymentTokenSealer(Microsoft.Extensions.Options.Options.Create(new PaymentTokenOptions { KeyDirectory = directory }));
        var opener = new PaymentTokenOpener(Microsoft.Extensions.Options.Options.Create(new PaymentTokenOptions { KeyDirectory = directory }));
        var sealedToken = sealer.Seal("tok_visa", orderId);

        Assert.Equal("payment-token-dev", sealer.KeyId);
        Assert.Equal("tok_visa", opener.Open(sealedToken, orderId));
    }
}
