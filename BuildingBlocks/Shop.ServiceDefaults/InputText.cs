using System.Buffers;
using System.Globalization;
using System.Text;

namespace Shop.ServiceDefaults;

/// <summary>
/// The rules every string from a client obeys before it is stored or published: no control characters (a NUL is
/// refused by PostgreSQL and would be a 500; the others have no place in a name, address or key), no invisible format
/// characters (bidi controls such as U+202E reorder what an operator or a label printer shows; zero-width ones such as
/// U+200B and the BOM U+FEFF make two equal-looking names differ), no line or paragraph separators (U+2028/U+2029 break
/// lines, logs and JSON-in-script), no unpaired UTF-16 surrogates (not encodable as UTF-8), and a bounded length.
/// </summary>
/// <remarks>
/// Refusing every format character (Unicode category Cf) also refuses the zero-width joiner of emoji sequences and the
/// soft hyphen: neither belongs in a name, address or key, and a list of exceptions would be a list of ways around.
/// </remarks>
public static class InputText
{
    /// <summary>Why <paramref name="value"/> is not acceptable text of at most <paramref name="maxLength"/> characters, or null.</summary>
    public static string? Problem(string value, int maxLength)
    {
        if (value.Length > maxLength)
            return $"At most {maxLength} characters.";

        for (var i = 0; i < value.Length;)
        {
            if (Rune.DecodeFromUtf16(value.AsSpan(i), out var rune, out var length) != OperationStatus.Done)
                return $"Must not contain an unpaired surrogate (position {i}).";

            switch (Rune.GetUnicodeCategory(rune))
            {
                case UnicodeCategory.Control:
                    return $"Must not contain control characters (U+{rune.Value:X4} at position {i}).";
                case UnicodeCategory.Format:
                    return $"Must not contain invisible formatting characters such as bidi controls or zero-width characters (U+{rune.Value:X4} at position {i}).";
                case UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                    return $"Must not contain line or paragraph separators (U+{rune.Value:X4} at position {i}).";
            }

            i += length;
        }

        return null;
    }
}
