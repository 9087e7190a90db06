namespace Shop.ServiceDefaults;

/// <summary>
/// The rules every string from a client obeys before it is stored or published: no control characters (a NUL is
/// refused by PostgreSQL and would be a 500; the others have no place in a name, address or key), no unpaired UTF-16
/// surrogates (not encodable as UTF-8), and a bounded length.
/// </summary>
public static class InputText
{
    /// <summary>Why <paramref name="value"/> is not acceptable text of at most <paramref name="maxLength"/> characters, or null.</summary>
    public static string? Problem(string value, int maxLength)
    {
        if (value.Length > maxLength)
            return $"At most {maxLength} characters.";

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsControl(c))
                return $"Must not contain control characters (U+{(int)c:X4} at position {i}).";
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                return $"Must not contain an unpaired surrogate (position {i}).";
        }

        return null;
    }
}
