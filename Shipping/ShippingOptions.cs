namespace Shop.Shipping;

/// <summary>Bound from the <c>Shipping</c> configuration section.</summary>
public sealed class ShippingOptions
{
    public const string Section = "Shipping";

    static readonly string[] DefaultUnsupportedCountries = ["AQ"];

    /// <summary>
    /// ISO 3166-1 alpha-2 codes we do not ship to; <c>["AQ"]</c> when not configured. (No initializer: the
    /// configuration binder would append the configured codes to it instead of replacing it.)
    /// </summary>
    public string[]? UnsupportedCountries { get; set; }

    public bool Supports(string country) =>
        !(UnsupportedCountries ?? DefaultUnsupportedCountries).Contains(country, StringComparer.OrdinalIgnoreCase);
}
