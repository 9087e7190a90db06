using System.Collections.Concurrent;
using Shop.ServiceDefaults.Identity;

namespace Shop.LoadTest;

/// <summary>
/// Bearer tokens for the simulated customers (one per customer, minted once) and for reading orders as an operator,
/// signed with the key scripts/local-up.sh generated (<see cref="LocalTokens"/>, compiled in).
/// </summary>
sealed class LoadTokens(string signingKey)
{
    readonly string _key = signingKey.Trim();
    readonly ConcurrentDictionary<string, string> _customers = new(StringComparer.Ordinal);
    string? _operator;

    /// <summary><c>SHOP_SIGNING_KEY</c> when set, else the key file.</summary>
    public static LoadTokens From(string keyFile)
    {
        var key = Environment.GetEnvironmentVariable("SHOP_SIGNING_KEY");
        if (string.IsNullOrWhiteSpace(key))
        {
            if (!File.Exists(keyFile))
                throw new ArgumentException($"No signing key at {keyFile}: start the shop with scripts/local-up.sh, or pass --signing-key-file.");
            key = File.ReadAllText(keyFile);
        }

        return new LoadTokens(key);
    }

    public string Customer(string customerId) => _customers.GetOrAdd(customerId, id => LocalTokens.Customer(_key, id));

    public string Operator() => _operator ??= LocalTokens.Operator(_key, "loadtest");
}
