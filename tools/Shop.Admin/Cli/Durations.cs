using System.Globalization;

namespace Shop.Admin.Cli;

/// <summary>Short durations as operators type and read them: <c>90s</c>, <c>5m</c>, <c>2h</c>, <c>1d</c>, <c>1h30m</c>.</summary>
public static class Durations
{
    static readonly (char Unit, TimeSpan Size)[] Units =
        [('d', TimeSpan.FromDays(1)), ('h', TimeSpan.FromHours(1)), ('m', TimeSpan.FromMinutes(1)), ('s', TimeSpan.FromSeconds(1))];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var rest = text.Trim().ToLowerInvariant();
        if (rest.Length == 0)
            return false;

        var unitIndex = 0;
        while (rest.Length > 0)
        {
            var digits = rest.TakeWhile(char.IsAsciiDigit).Count();
            if (digits == 0 || digits == rest.Length)
                return false;

            var unit = Array.FindIndex(Units, unitIndex, x => x.Unit == rest[digits]);
            if (unit < 0 || !int.TryParse(rest.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                return false;

            // Too large for a TimeSpan is not a duration either (rather than an overflow).
            if (count > (TimeSpan.MaxValue - duration).Ticks / Units[unit].Size.Ticks)
                return false;

            duration += Units[unit].Size * count;
            unitIndex = unit + 1;
            rest = rest[(digits + 1)..];
        }

        return true;
    }

    /// <summary>The two largest units: <c>42s</c>, <c>5m12s</c>, <c>3h4m</c>, <c>2d7h</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
            duration = TimeSpan.Zero;

        var parts = new List<string>();
        foreach (var (unit, size) in Units)
        {
            var count = (long)(duration.Ticks / size.Ticks);
            if (count > 0 || (parts.Count == 0 && unit == 's'))
                parts.Add($"{count}{unit}");
            duration -= size * count;
            if (parts.Count == 2)
                break;
        }

        return string.Concat(parts);
    }
}
