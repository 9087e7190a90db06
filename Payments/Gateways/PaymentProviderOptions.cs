using System.ComponentModel.DataAnnotations;

namespace Shop.Payments.Gateways;

/// <summary>Where the payment provider is and how long to wait for it. Bound from the <c>PaymentProvider</c> section.</summary>
public sealed class PaymentProviderOptions
{
    public const string Section = "PaymentProvider";

    /// <summary>The provider's base address (locally the simulator on port base + 5).</summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// How long one attempt may take. An attempt that times out is not repeated at once: whether it charged is unknown,
    /// and the answer is looked up by idempotency key instead.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of an attempt that failed transiently (5xx such as processing_error, a refused connection).</summary>
    [Range(0, 10)]
    public int Retries { get; set; } = 3;

    /// <summary>The shop's secret API key at the provider (<c>sk_…</c>), sent as <c>Authorization: Bearer</c>; or <see cref="ApiKeyFile"/>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A file whose first line is the API key (locally <c>.run/payment-provider.key</c>, written by scripts/dev-keys.sh).</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>
    /// Plain HTTP to a provider that is not on loopback, outside Development: only for the simulator on a private compose
    /// network. A real provider is reached over HTTPS, where the API key and the tokens are not readable on the way.
    /// </summary>
    public bool AllowPlainHttp { get; set; }

    /// <summary>What is wrong with these options for a host in <paramref name="development"/> or not; null when nothing is.</summary>
    public string? Problem(bool development)
    {
        if (ApiKey is not { Length: >= 16 } apiKey || !apiKey.StartsWith("sk_", StringComparison.Ordinal))
            return $"{Section}:ApiKey (or {Section}:ApiKeyFile) must give the provider's secret key, sk_ and at least 13 more characters"
                   + " (locally: bash scripts/dev-keys.sh writes .run/payment-provider.key).";
        if (BaseUrl is { } url && url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && (development || url.IsLoopback || AllowPlainHttp)))
            return $"{Section}:BaseUrl must be https outside Development (plain http only to a loopback address, or with {Section}:AllowPlainHttp): {url}.";
        return null;
    }
}
