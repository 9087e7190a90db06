using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;

namespace Shop.Messaging.Signing;

/// <summary>The key this process signs with (<c>Signer</c>, <c>KeyId</c>).</summary>
public sealed record SigningKey(string Signer, string KeyId, ECDsa Key);

/// <summary>
/// The keys of one process: its own signing key and every public key it verifies with, by (signer, key id) — several per
/// signer while a key is rotated. <see cref="Enabled"/> is false only in Development without any key configured.
/// </summary>
public sealed class SigningKeyRing
{
    readonly Dictionary<(string Signer, string KeyId), ECDsa> _publicKeys;

    public SigningKeyRing(string service, SigningKey? signingKey, IEnumerable<(string Signer, string KeyId, ECDsa Key)> publicKeys)
    {
        Service = service;
        SigningKey = signingKey;
        _publicKeys = new Dictionary<(string, string), ECDsa>(KeyComparer.Instance);
        foreach (var (signer, keyId, key) in publicKeys)
            _publicKeys[(signer, keyId)] = key;
    }

    public string Service { get; }
    public SigningKey? SigningKey { get; }
    public bool Enabled => SigningKey is not null;

    public IEnumerable<string> Signers => _publicKeys.Keys.Select(x => x.Signer).Distinct(StringComparer.OrdinalIgnoreCase);

    public ECDsa? PublicKey(string signer, string keyId) => _publicKeys.GetValueOrDefault((signer, keyId));

    public static string ServiceNameOf(string applicationName)
    {
        var name = applicationName.StartsWith("Shop.", StringComparison.OrdinalIgnoreCase) ? applicationName[5..] : applicationName;
        return name.ToLowerInvariant();
    }

    /// <summary>
    /// Loads the keys <paramref name="options"/> names. Outside Development a missing signing key is an error (the service
    /// does not start); in Development with no key at all, signing is off (<see cref="Enabled"/> false) and the caller warns.
    /// </summary>
    public static SigningKeyRing Load(SigningOptions options, IHostEnvironment environment)
    {
        var service = string.IsNullOrWhiteSpace(options.Service) ? ServiceNameOf(environment.ApplicationName) : options.Service;
        var publicKeys = new List<(string, string, ECDsa)>();
        SigningKey? signingKey = null;

        if (!string.IsNullOrWhiteSpace(options.KeyDirectory))
        {
            if (!Directory.Exists(options.KeyDirectory))
                throw new InvalidOperationException($"{SigningOptions.Section}:KeyDirectory '{options.KeyDirectory}' does not exist (bash scripts/dev-keys.sh writes one).");

            foreach (var signerDirectory in Directory.GetDirectories(options.KeyDirectory))
            {
                var signer = Path.GetFileName(signerDirectory);
                foreach (var file in Directory.GetFiles(signerDirectory, "*.public.pem"))
                    publicKeys.Add((signer, KeyIdOf(file, ".public.pem"), MessageSignature.LoadKey(file, isPrivate: false, file)));
            }

            var own = Path.Combine(options.KeyDirectory, service);
            var privateFiles = Directory.Exists(own) ? Directory.GetFiles(own, "*.private.pem") : [];
            var chosen = options.KeyId is { Length: > 0 } keyId
                ? privateFiles.Where(x => KeyIdOf(x, ".private.pem") == keyId).ToArray()
                : privateFiles;
            if (chosen.Length > 1)
                throw new InvalidOperationException($"{own} holds several private keys; set {SigningOptions.Section}:KeyId to the one '{service}' signs with.");
            if (chosen.Length == 1 && string.IsNullOrWhiteSpace(options.PrivateKey))
                signingKey = new SigningKey(service, KeyIdOf(chosen[0], ".private.pem"), MessageSignature.LoadKey(chosen[0], isPrivate: true, chosen[0]));
        }

        foreach (var (signer, keys) in options.PublicKeys)
        {
            foreach (var (keyId, value) in keys)
                publicKeys.Add((signer, keyId, MessageSignature.LoadKey(value, isPrivate: false, $"{SigningOptions.Section}:PublicKeys:{signer}:{keyId}")));
        }

        if (!string.IsNullOrWhiteSpace(options.PrivateKey))
        {
            if (string.IsNullOrWhiteSpace(options.KeyId))
                throw new InvalidOperationException($"{SigningOptions.Section}:KeyId is required with {SigningOptions.Section}:PrivateKey: verifiers find the public key by it.");
            signingKey = new SigningKey(service, options.KeyId, MessageSignature.LoadKey(options.PrivateKey, isPrivate: true, $"{SigningOptions.Section}:PrivateKey"));
        }

        if (signingKey is null)
        {
            if (environment.IsDevelopment() && publicKeys.Count == 0)
                return new SigningKeyRing(service, null, []);
            throw new InvalidOperationException(
                $"No message signing key for '{service}': set {SigningOptions.Section}:PrivateKey and :KeyId (e.g. Messaging__Signing__PrivateKey), " +
                $"or {SigningOptions.Section}:KeyDirectory holding {service}/<key id>.private.pem (bash scripts/dev-keys.sh writes local ones). " +
                $"Outside Development a service does not start without its key.");
        }

        // The service verifies its own redeliveries with its own public key.
        publicKeys.Add((service, signingKey.KeyId, signingKey.Key));
        return new SigningKeyRing(service, signingKey, publicKeys);
    }

    static string KeyIdOf(string file, string suffix) => Path.GetFileName(file)[..^suffix.Length];

    sealed class KeyComparer : IEqualityComparer<(string Signer, string KeyId)>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals((string Signer, string KeyId) x, (string Signer, string KeyId) y) =>
            string.Equals(x.Signer, y.Signer, StringComparison.OrdinalIgnoreCase) && string.Equals(x.KeyId, y.KeyId, StringComparison.Ordinal);

        public int GetHashCode((string Signer, string KeyId) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Signer), obj.KeyId);
    }
}
