using System.Text.Json;
using Shop.Admin.Cli;

namespace Shop.Admin.Orders;

/// <summary><c>orders stuck</c>: the orders no deadline moved on, one line each.</summary>
public sealed class OrderCommands(StuckOrdersReader reader, AdminConsole console, bool json, TimeProvider clock)
{
    /// <summary>Matches the Orders service's <c>Orders:StuckAfter</c> default.</summary>
    public static readonly TimeSpan DefaultOlderThan = TimeSpan.FromMinutes(5);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<int> StuckAsync(TimeSpan olderThan, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var stuck = await reader.ReadAsync(now - olderThan, cancellationToken);

        if (json)
        {
            console.Out.WriteLine(JsonSerializer.Serialize(stuck.Select(x => new
            {
                x.OrderId, x.State, x.CancellationReason, x.InStateSince, AgeSeconds = (long)(now - x.InStateSince).TotalSeconds, x.EscalatedAt,
                x.LastEntryAt, x.LastEntry,
            }), Json));
        }
        else if (stuck.Count == 0)
        {
            console.Out.WriteLine($"No stuck orders (none in a non-terminal state for {Durations.Format(olderThan)} or more, none escalated).");
        }
        else
        {
            TextTable.Write(console.Out, ["ORDER ID", "STATE", "AGE", "LAST TIMELINE ENTRY"],
            [
                .. stuck.Select(x => (IReadOnlyList<string>)
                [
                    x.OrderId.ToString(),
                    x.EscalatedAt is null ? x.State : $"{x.State} (escalated)",
                    Durations.Format(now - x.InStateSince),
                    TextTable.Fit(x.LastEntry is null ? "-" : $"{x.LastEntry} ({Durations.Format(now - x.LastEntryAt!.Value)} ago)", 100),
                ]),
            ]);
            console.Out.WriteLine($"{stuck.Count} stuck order{(stuck.Count == 1 ? "" : "s")}.");
        }

        return stuck.Count == 0 ? ExitCodes.Success : ExitCodes.StuckOrders;
    }
}
