using System.Globalization;

namespace Shop.LoadTest;

/// <summary>One injected fault: <c>name start_ms end_ms allows_errors</c> (Unix milliseconds), a line of the faults file.</summary>
sealed record FaultWindow(string Name, DateTimeOffset Start, DateTimeOffset End, bool AllowsErrors)
{
    /// <summary>Requests sent just before the fault may fail inside it; a client's pooled connection may fail just after.</summary>
    static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    /// <summary>A call that was under way at any moment of the window (a request sent into a dead Orders times out later).</summary>
    public bool Covers(DateTimeOffset sentAt, DateTimeOffset failedAt) => failedAt >= Start - Grace && sentAt <= End + Grace;

    /// <summary>The windows in the file, or none when there is no file (yet).</summary>
    public static IReadOnlyList<FaultWindow> Read(string? path)
    {
        if (path is null || !File.Exists(path))
            return [];
        return [.. File.ReadAllLines(path)
            .Select(line => line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length == 4)
            .Select(fields => new FaultWindow(
                fields[0],
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields[1], CultureInfo.InvariantCulture)),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(fields[2], CultureInfo.InvariantCulture)),
                fields[3] == "1"))];
    }
}
