using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shop.Messaging.Signing;

namespace Shop.Messaging.PaymentTokens;

/// <summary>Seals a customer's payment token for Payments the moment Orders receives it (Orders never stores it in clear).</summary>
public sealed class PaymentTokenSealer(IOptions<PaymentTokenOptions> options)
{
    readonly Lazy<(string KeyId, ECDiffieHellman Key)> _key = new(() => PaymentTokenKeys.LoadPublic(options.Value));

    public string KeyId => _key.Value.KeyId;

    public string Seal(string token, Guid orderId) => SealedPaymentToken.Seal(_key.Value.Key, _key.Value.KeyId, token, orderId);
}

/// <summary>
/// Opens sealed payment tokens in Payments, in memory, right before the provider call; and seals a token that arrived in
/// clear (a message from before sealing) so that it is stored sealed too.
/// </summary>
public sealed class PaymentTokenOpener(IOptions<PaymentTokenOptions> options)
{
    readonly Lazy<Dictionary<string, ECDiffieHellman>> _keys = new(() => PaymentTokenKeys.LoadPrivate(options.Value));

    /// <exception cref="CryptographicException">The token does not open: unknown key id, tampered, or another order's.</exception>
    public string Open(string sealedToken, Guid orderId) =>
        SealedPaymentToken.Open(sealedToken, orderId, keyId => _keys.Value.GetValueOrDefault(keyId));

    /// <summary>Seals with the newest private key's public half (key ids sort by age when dated; otherwise the only one).</summary>
    public string Seal(string token, Guid orderId)
    {
        var (keyId, key) = _keys.Value.OrderBy(x => x.Key, StringComparer.Ordinal).Last();
        return SealedPaymentToken.Seal(key, keyId, token, orderId);
    }
}

public static class PaymentTokenKeys
{
    /// <summary>Orders' side: seals with the public key. Fails at start-up, naming the settings, when there is none.</summary>
    public static IServiceCollection AddPaymentTokenSealer(this IServiceCollection services) =>
        services.AddPaymentTokenOptions(options => LoadPublic(options)).AddSingleton<PaymentTokenSealer>();

    /// <summary>Payments' side: opens with the private key(s). Fails at start-up, naming the settings, when there is none.</summary>
    public static IServiceCollection AddPaymentTokenOpener(this IServiceCollection services) =>
        services.AddPaymentTokenOptions(options => LoadPrivate(options)).AddSingleton<PaymentTokenOpener>();

    static IServiceCollection AddPaymentTokenOptions(this IServiceCollection services, Action<PaymentTokenOptions> load)
    {
        services.AddOptions<PaymentTokenOptions>()
            .BindConfiguration(PaymentTokenOptions.Section)
            .Validate(options =>
            {
                load(options);
                return true;
            })
            .ValidateOnStart();
        return services;
    }

    internal static (string KeyId, ECDiffieHellman Key) LoadPublic(PaymentTokenOptions options)
    {
        if (options.PublicKey is { Length: > 0 } text)
        {
            var keyId = options.KeyId ?? throw Missing($"{PaymentTokenOptions.Section}:KeyId (the id of {PaymentTokenOptions.Section}:PublicKey)");
            return (CheckedKeyId(keyId), Load(text, isPrivate: false, $"{PaymentTokenOptions.Section}:PublicKey"));
        }

        var files = KeyFiles(options, ".public.pem");
        if (files.Count > 1 && options.KeyId is null)
            throw new InvalidOperationException($"Several payment-token public keys in {Folder(options)}: set {PaymentTokenOptions.Section}:KeyId to choose one.");
        var (id, path) = options.KeyId is { } chosen
            ? files.FirstOrDefault(x => x.KeyId == chosen) is { KeyId: not null } found ? found : throw Missing($"{Folder(options)}/{chosen}.public.pem")
            : files.Count == 1 ? files[0] : throw Missing($"{PaymentTokenOptions.Section}:PublicKey + KeyId, or {PaymentTokenOptions.Section}:KeyDirectory with <key id>.public.pem");
        return (id, Load(path, isPrivate: false, path));
    }

    internal static Dictionary<string, ECDiffieHellman> LoadPrivate(PaymentTokenOptions options)
    {
        var keys = options.PrivateKeys.ToDictionary(x => CheckedKeyId(x.Key),
            x => Load(x.Value, isPrivate: true, $"{PaymentTokenOptions.Section}:PrivateKeys:{x.Key}"), StringComparer.Ordinal);
        foreach (var (keyId, path) in KeyFiles(options, ".private.pem"))
            keys.TryAdd(keyId, Load(path, isPrivate: true, path));
        return keys.Count > 0
            ? keys
            : throw Missing($"{PaymentTokenOptions.Section}:PrivateKeys:<key id>, or {PaymentTokenOptions.Section}:KeyDirectory with <key id>.private.pem");
    }

    static List<(string KeyId, string Path)> KeyFiles(PaymentTokenOptions options, string suffix) =>
        Folder(options) is { } folder && Directory.Exists(folder)
            ? [.. Directory.GetFiles(folder, "*" + suffix).Order(StringComparer.Ordinal)
                .Select(path => (Path.GetFileName(path)[..^suffix.Length], path))
                .Where(x => SealedPaymentToken.IsValidKeyId(x.Item1))]
            : [];

    static string? Folder(PaymentTokenOptions options) => options.KeyDirectory is { Length: > 0 } directory ? directory : null;

    static string CheckedKeyId(string keyId) => SealedPaymentToken.IsValidKeyId(keyId)
        ? keyId
        : throw new InvalidOperationException($"Payment-token key id '{keyId}' must be 1 to 40 characters of A-Z a-z 0-9 _ -.");

    static InvalidOperationException Missing(string what) =>
        new($"No payment-token key: set {what}. Locally, `bash scripts/dev-keys.sh` writes one into .run/payment-token-keys (docs/security.md#payment-token).");

    /// <summary>PEM text, a PEM file, or base64 DER (PKCS#8 private, SubjectPublicKeyInfo public) of a P-256 key.</summary>
    static ECDiffieHellman Load(string value, bool isPrivate, string what)
    {
        var key = ECDiffieHellman.Create();
        try
        {
            MessageSignature.ImportKey(key, value, isPrivate);
            if (key.KeySize != 256)
                throw new CryptographicException($"a {key.KeySize}-bit key; payment tokens are sealed with P-256");
            if (isPrivate)
                _ = key.ExportParameters(true);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or ArgumentException)
        {
            key.Dispose();
            throw new InvalidOperationException($"{what} is not a P-256 {(isPrivate ? "private" : "public")} key (PEM, a PEM file or base64 DER): {exception.Message}",
                exception);
        }

        return key;
    }
}
