using System.Security.Cryptography;
using Shop.Messaging.Signing;

namespace Shop.Operations.Broker;

/// <summary>
/// The services' public message-signing keys, by (signer, key id), from a key directory laid out as the services read
/// theirs (<c>&lt;dir&gt;/&lt;signer&gt;/&lt;key id&gt;.public.pem</c>; <c>scripts/dev-keys.sh</c> writes <c>.run/keys</c>):
/// a re-drive re-verifies each message's original signature with them. Private keys in the directory are never read.
/// </summary>
public sealed class PublicKeys
{
    public const string DirectoryVariable = "SHOP_KEYS_DIR";
    public const string DefaultDirectory = ".run/keys";
    const string Suffix = ".public.pem";

    readonly Dictionary<(string Signer, string KeyId), ECDsa> _keys;

    PublicKeys(string? directory, Dictionary<(string, string), ECDsa> keys)
    {
        Directory = directory;
        _keys = keys;
    }

    /// <summary>Where the keys came from; null when none was found (every message then fails as unknown-key).</summary>
    public string? Directory { get; }

    public int Count => _keys.Count;

    public ECDsa? Find(string signer, string keyId) =>
        _keys.GetValueOrDefault((signer.ToLowerInvariant(), keyId));

    /// <summary>From the option, else <see cref="DirectoryVariable"/>, else <see cref="DefaultDirectory"/> when it exists.</summary>
    /// <exception cref="OperatorKeyException">The directory named does not exist, or holds a file that is no public key.</exception>
    public static PublicKeys Resolve(string? directory)
    {
        directory ??= Environment.GetEnvironmentVariable(DirectoryVariable);
        if (string.IsNullOrWhiteSpace(directory))
        {
            if (!System.IO.Directory.Exists(DefaultDirectory))
                return new PublicKeys(null, []);
            directory = DefaultDirectory;
        }

        if (!System.IO.Directory.Exists(directory))
            throw new OperatorKeyException($"The key directory '{directory}' does not exist (--keys or {DirectoryVariable}; bash scripts/dev-keys.sh writes .run/keys).");

        var keys = new Dictionary<(string, string), ECDsa>();
        try
        {
            foreach (var signerDirectory in System.IO.Directory.GetDirectories(directory))
            {
                var signer = Path.GetFileName(signerDirectory).ToLowerInvariant();
                foreach (var file in System.IO.Directory.GetFiles(signerDirectory, "*" + Suffix))
                    keys[(signer, Path.GetFileName(file)[..^Suffix.Length])] = MessageSignature.LoadKey(file, isPrivate: false, file);
            }
        }
        catch (InvalidOperationException exception)
        {
            throw new OperatorKeyException(exception.Message, exception);
        }

        return new PublicKeys(directory, keys);
    }
}
