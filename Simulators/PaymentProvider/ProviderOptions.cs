using Shop.ServiceDefaults;

namespace Shop.PaymentProvider;

/// <summary>Configuration section <c>Provider</c>.</summary>
public sealed class ProviderOptions
{
    public const string Section = "Provider";

    /// <summary>How long a <c>tok_slow</c> charge waits, after it is stored, before it answers.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The merchants allowed to call the API, by name, each with its secret key (<c>Provider:Merchants:shop:ApiKeyFile</c>).
    /// At least one is required: the simulator answers nothing without a key.
    /// </summary>
    public Dictionary<string, MerchantOptions> Merchants { get; set; } = [];
}

/// <summary>
/// One merchant's API key: <see cref="ApiKey"/>, or the first line of <see cref="ApiKeyFile"/>. A secret key (<c>sk_…</c>)
/// may do everything; a restricted key (<c>rk_…</c>, <see cref="ReadOnly"/>) may only read charges — what an operator's
/// console needs to show the provider's side of an order, and nothing that moves money.
/// </summary>
public sealed class MerchantOptions
{
    public string? ApiKey { get; set; }
    public string? ApiKeyFile { get; set; }
    public bool ReadOnly { get; set; }

    public string? Resolve() => SecretSetting.Resolve(ApiKey, ApiKeyFile);
}
