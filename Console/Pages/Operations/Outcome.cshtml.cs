using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Console.Audit;
using Shop.Console.Data;

namespace Shop.Console.Pages.Operations;

/// <summary>
/// What an operation did, from the audit table, and what became of the orders since (from their timelines): "moved on"
/// means the order changed state after the action, "failed again" that one of its commands faulted after it. A message
/// moved back to its queue whose order has done neither yet is said to be waiting.
/// </summary>
public sealed class OperationOutcomeModel(OperatorActionLog audit, OrdersQueries orders) : PageModel
{
    public Guid OperationId { get; private set; }
    public IReadOnlyList<OperatorAction> Rows { get; private set; } = [];
    public IReadOnlyDictionary<Guid, OrderProgress> Progress { get; private set; } = new Dictionary<Guid, OrderProgress>();

    public string Action => Rows.FirstOrDefault()?.Action ?? "";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        OperationId = id;
        Rows = await audit.OperationAsync(id, cancellationToken);
        if (Rows.Count == 0)
            return NotFound();
        var orderIds = Rows.Select(x => x.OrderId).OfType<Guid>().Distinct().ToList();
        Progress = await orders.ProgressSinceAsync(orderIds, Rows.Min(x => x.At), cancellationToken);
        return Page();
    }

    /// <summary>"2 moved back to their queue: 1 moved on, 1 failed again; 1 refused".</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string>();
            var moved = Rows.Where(x => x.Result == "moved").ToList();
            if (moved.Count > 0)
            {
                var progress = moved.Select(x => x.OrderId is { } id ? Progress.GetValueOrDefault(id) : null).ToList();
                var onward = progress.Count(x => x is { MovedOn: true, FailedAgain: false });
                var again = progress.Count(x => x is { FailedAgain: true });
                var waiting = moved.Count - onward - again;
                var details = new List<string>();
                if (onward > 0)
                    details.Add($"{onward} moved on");
                if (again > 0)
                    details.Add($"{again} failed again");
                if (waiting > 0)
                    details.Add($"{waiting} not moved on yet");
                parts.Add($"{Count(moved.Count, "message")} moved back to {(moved.Count == 1 ? "its queue" : "their queues")}: {string.Join(", ", details)}");
            }

            foreach (var group in Rows.Where(x => x.Result != "moved").GroupBy(x => Word(x.Result)))
                parts.Add($"{Count(group.Count(), "message")} {group.Key}");
            return string.Join("; ", parts) + ".";
        }
    }

    /// <summary>The word before the colon: refused, failed, discarded, missing, pending.</summary>
    public static string Word(string result) => result.Split(':', 2)[0] switch
    {
        "missing" => "no longer in an error queue",
        "pending" => "not acted on (the operation was interrupted)",
        var word => word,
    };

    static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
