using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Shop.Console.Broker;
using Shop.Console.Data;
using Shop.Console.Diagram;

namespace Shop.Console.Pages;

/// <summary>The saga's population on its diagram, the last hour's outcomes, outbox backlogs and error queues.</summary>
public sealed class IndexModel(OrdersQueries orders, OutboxQueries outboxes, ErrorQueues errorQueues, SagaDiagram diagram,
    IOptions<ConsoleOptions> options, TimeProvider clock) : PageModel
{
    public SagaDiagram Diagram => diagram;
    public TimeSpan RefreshInterval => options.Value.RefreshInterval;
    public DateTimeOffset AsOf { get; private set; }
    public IReadOnlyDictionary<string, StatePopulation> Population { get; private set; } = new Dictionary<string, StatePopulation>();
    public string DiagramSvg { get; private set; } = "";
    public Throughput Throughput { get; private set; } = null!;
    public string ChartSvg { get; private set; } = "";
    public IReadOnlyList<OutboxBacklog> Outboxes { get; private set; } = [];
    public ErrorQueueReport ErrorQueues { get; private set; } = null!;

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>The live part alone, for htmx's refresh (the page around it, and its scroll position, stay).</summary>
    public async Task<IActionResult> OnGetLiveAsync(CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        return Partial("_Overview", this);
    }

    async Task LoadAsync(CancellationToken cancellationToken)
    {
        AsOf = clock.GetUtcNow();
        Population = await orders.PopulationAsync(cancellationToken);
        DiagramSvg = diagram.Render(Population, state => $"/orders?state={Uri.EscapeDataString(state)}");
        Throughput = await orders.ThroughputAsync(60, cancellationToken);
        ChartSvg = ThroughputChart.Render(Throughput);
        Outboxes = await outboxes.BacklogAsync(cancellationToken);
        ErrorQueues = await errorQueues.ReadAsync(cancellationToken);
        Response.Headers.CacheControl = "no-store";
    }
}
