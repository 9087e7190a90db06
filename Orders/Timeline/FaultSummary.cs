namespace Shop.Orders.Timeline;

/// <summary>
/// What the order history shows of a fault: the exception's type name and the first line of its message, cut short.
/// A customer-facing API must not hand out stack traces, SQL or whatever else a raw exception text carries; the whole
/// fault stays in the <c>_error</c> queue's headers for operators.
/// </summary>
public static class FaultSummary
{
    public const int ReasonLength = 120;

    public static string Of(string exceptionType, string? message) => Of($"{exceptionType}: {message}");

    /// <summary>"Type: reason" from a stored detail of the form "Namespace.Type: message…" (older rows hold the whole text).</summary>
    public static string Of(string detail)
    {
        var separator = detail.IndexOf(": ", StringComparison.Ordinal);
        var type = separator < 0 ? detail : detail[..separator];
        var message = separator < 0 ? "" : detail[(separator + 2)..];
        type = type[(type.LastIndexOf('.') + 1)..];
        var line = message.Split('\n', 2)[0].Trim();
        var reason = line.Length <= ReasonLength ? line : line[..ReasonLength] + "…";
        reason = new string([.. reason.Where(c => !char.IsControl(c))]);
        return reason.Length == 0 ? type : $"{type}: {reason}";
    }
}
