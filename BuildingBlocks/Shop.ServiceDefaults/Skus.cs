using System.Diagnostics.CodeAnalysis;

namespace Shop.ServiceDefaults;

/// <summary>
/// The one spelling of a SKU, applied wherever a SKU enters the shop (HTTP path or body): trimmed of spaces and upper-cased
/// (invariant), so <c>sku-001</c> and <c>SKU-001</c> are one product. Both databases then compare SKUs the same way:
/// PostgreSQL compares case-sensitively, SQL Server's default collation does not, and with one spelling there is no
/// pair of keys one of them sees as two rows and the other as one.
/// </summary>
public static class Skus
{
    public const int MaxLength = 64;

    /// <summary>Letters, digits, '-', '_' and '.', 1 to <see cref="MaxLength"/> characters after trimming.</summary>
    public static bool TryNormalize(string? raw, [NotNullWhen(true)] out string? sku, [NotNullWhen(false)] out string? error)
    {
        sku = null;
        // Spaces only: Trim() would also drop control characters such as NEL (U+0085) and accept what they hide.
        var trimmed = raw?.Trim(' ');
        if (string.IsNullOrEmpty(trimmed))
        {
            error = "Required.";
            return false;
        }

        if (trimmed.Length > MaxLength)
        {
            error = $"At most {MaxLength} characters.";
            return false;
        }

        foreach (var c in trimmed)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                error = "Only letters, digits, '-', '_' and '.' (e.g. SKU-001).";
                return false;
            }
        }

        sku = trimmed.ToUpperInvariant();
        error = null;
        return true;
    }
}
