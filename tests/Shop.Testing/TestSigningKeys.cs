using System.Collections.Concurrent;
using System.Security.Cryptography;
using MassTransit;
using Shop.Contracts;
using Shop.Messaging.Signing;

namespace Shop.Testing;

/// <summary>
/// Message signing keys of every Shop service and of the operator, generated in the test process (never written to
/// disk): each in-process service gets its own private key and everyone's public keys; the test bus signs each
/// message with the key of the service allowed to send it.
/// </summary>
public static class TestSigningKeys
{
    public static readonly string[] Signers =
    [
        MessageSenders.Orders, MessageSenders.Payments, MessageSenders.Inventory, MessageSenders.Shipping,
        MessageSenders.Notifications, MessageSenders.Analytics, MessageSignature.OperatorSigner,
    ];

    // Other signers (a test's own host) get a key on first use.
    static readonly ConcurrentDictionary<string, SigningKey> Keys = new(
        Signers.ToDictionary(x => x, NewKey, StringComparer.OrdinalIgnoreCase), StringComparer.OrdinalIgnoreCase);

    static SigningKey NewKey(string signer) => new(signer, $"{signer}-test", ECDsa.Create(ECCurve.NamedCurves.nistP256));

    public static SigningKey For(string signer) => Keys.GetOrAdd(signer, NewKey);

    public static SigningKey Operator => Keys[MessageSignature.OperatorSigner];

    /// <summary>The key of the service allowed to send <paramref name="messageType"/>; a fault is signed by a service consuming its message.</summary>
    public static SigningKey? ForMessage(Type messageType)
    {
        if (messageType.IsGenericType && messageType.GetGenericTypeDefinition() == typeof(Fault<>))
            return MessageConsumers.All.TryGetValue(messageType.GetGenericArguments()[0], out var consumers) ? Keys[consumers[0]] : null;
        return MessageSenders.All.TryGetValue(messageType, out var sender) ? Keys[sender] : null;
    }

    /// <summary>Configuration for a process signing as <paramref name="signer"/> that knows every public key.</summary>
    public static Dictionary<string, string?> Settings(string signer)
    {
        var own = For(signer);
        var settings = new Dictionary<string, string?>
        {
            [$"{SigningOptions.Section}:Service"] = signer,
            [$"{SigningOptions.Section}:KeyId"] = own.KeyId,
            [$"{SigningOptions.Section}:PrivateKey"] = own.Key.ExportPkcs8PrivateKeyPem(),
        };
        foreach (var key in Keys.Values)
            settings[$"{SigningOptions.Section}:PublicKeys:{key.Signer}:{key.KeyId}"] = key.Key.ExportSubjectPublicKeyInfoPem();
        return settings;
    }

    /// <summary>The operator's private key as a PEM file (for <c>shop-admin --operator-key</c>), written once per test process.</summary>
    public static string OperatorKeyFile => OperatorFile.Value;

    /// <summary>
    /// Every public key of <see cref="Signers"/> in the layout of <c>Messaging:Signing:KeyDirectory</c>
    /// (<c>&lt;signer&gt;/&lt;key id&gt;.public.pem</c>), for <c>shop-admin --keys</c>; written once per test process.
    /// </summary>
    public static string PublicKeyDirectory => PublicKeys.Value;

    static readonly Lazy<string> PublicKeys = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("shop-test-public-keys-");
        foreach (var key in Signers.Select(For))
        {
            var folder = Directory.CreateDirectory(Path.Combine(directory.FullName, key.Signer)).FullName;
            File.WriteAllText(Path.Combine(folder, $"{key.KeyId}.public.pem"), key.Key.ExportSubjectPublicKeyInfoPem());
        }
        return directory.FullName;
    });

    static readonly Lazy<string> OperatorFile = new(() =>
    {
        var directory = Directory.CreateTempSubdirectory("shop-test-keys-");
        var path = Path.Combine(directory.FullName, $"{Operator.KeyId}.private.pem");
        File.WriteAllText(path, Operator.Key.ExportPkcs8PrivateKeyPem());
        return path;
    });
}
