using System.Security.Cryptography;
using Shop.Messaging.PaymentTokens;

namespace Shop.Testing;

/// <summary>
/// The payment-token key pair of a test process, generated in memory: Orders gets the public key (it seals), Payments the
/// private key (it opens). Every in-process service gets both settings; each reads only its own side.
/// </summary>
public static class TestPaymentTokenKeys
{
    public const string KeyId = "payment-token-test";

    public static ECDiffieHellman Key { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public static Dictionary<string, string?> Settings { get; } = new()
    {
        [$"{PaymentTokenOptions.Section}:KeyId"] = KeyId,
        [$"{PaymentTokenOptions.Section}:PublicKey"] = Key.ExportSubjectPublicKeyInfoPem(),
        [$"{PaymentTokenOptions.Section}:PrivateKeys:{KeyId}"] = Key.ExportPkcs8PrivateKeyPem(),
    };

    /// <summary>A token sealed for the order, as Orders would send it.</summary>
    public static string Seal(string token, Guid orderId) => SealedPaymentToken.Seal(Key, KeyId, token, orderId);

    public static string Open(string sealedToken, Guid orderId) =>
        SealedPaymentToken.Open(sealedToken, orderId, keyId => keyId == KeyId ? Key : null);
}
