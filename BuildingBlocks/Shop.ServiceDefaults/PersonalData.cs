namespace Shop.ServiceDefaults;

/// <summary>How personal data appears where it does not belong in full: logs (they are shipped, kept and read widely).</summary>
public static class PersonalData
{
    /// <summary><c>ada.lovelace@example.com</c> → <c>a***@example.com</c>: enough to tell customers apart in a log, not to write to them.</summary>
    public static string MaskEmail(string? email)
    {
        if (string.IsNullOrEmpty(email))
            return "";
        var at = email.LastIndexOf('@');
        return at <= 0 ? "***" : $"{email[0]}***{email[at..]}";
    }
}
