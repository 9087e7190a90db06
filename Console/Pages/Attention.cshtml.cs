using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Shop.Console.Broker;
using Shop.Console.Data;

namespace Shop.Console.Pages;

/// <summary>What needs an operator: orders waiting past a threshold (in the URL, so the view can be linked) and error queues.</summary>
public sealed class AttentionModel(OrdersQueries orders, ErrorQueues errorQueues, IOptions<ConsoleOptions> options) : PageModel
{
    const int MaxMinutes = 7 * 24 * 60;

    public TimeSpan StuckAfter { get; private set; }
    public IReadOnlyList<OrderRow> Stuck { get; private set; } = [];
    public ErrorQueueReport ErrorQueues { get; private set; } = null!;
    public IReadOnlyList<FaultGroup> FaultGroups { get; private set; } = [];
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(int? stuckAfter, CancellationToken cancellationToken)
    {
        if (stuckAfter is < 1 or > MaxMinutes)
        {
            Problem = $"stuckAfter: minutes, 1 to {MaxMinutes}.";
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        StuckAfter = stuckAfter is { } minutes ? TimeSpan.FromMinutes(minutes) : options.Value.StuckAfter;
        Stuck = await orders.StuckAsync(StuckAfter, cancellationToken);
        FaultGroups = await orders.BlockingFaultsAsync(cancellationToken);
        ErrorQueues = await errorQueues.ReadAsync(cancellationToken);
        return Page();
    }
}
