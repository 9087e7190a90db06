namespace Shop.PaymentProvider;

/// <summary>Configuration section <c>Provider</c>.</summary>
public sealed class ProviderOptions
{
    public const string Section = "Provider";

    /// <summary>How long a <c>tok_slow</c> charge waits, after it is stored, before it answers.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(10);
}
