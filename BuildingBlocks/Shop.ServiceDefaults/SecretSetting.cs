namespace Shop.ServiceDefaults;

/// <summary>A secret given in configuration either as itself or as a file holding it (a mounted secret, a dev key).</summary>
public static class SecretSetting
{
    /// <summary><paramref name="value"/> if set, else the first line of <paramref name="file"/> if it exists; trimmed; null when neither gives one.</summary>
    public static string? Resolve(string? value, string? file) =>
        value is { Length: > 0 } inline ? inline.Trim()
        : file is { Length: > 0 } && File.Exists(file) ? File.ReadLines(file).FirstOrDefault()?.Trim()
        : null;
}
