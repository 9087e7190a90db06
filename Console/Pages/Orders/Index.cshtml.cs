using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Console.Data;
using Shop.Console.Diagram;
using Shop.ServiceDefaults;

namespace Shop.Console.Pages.Orders;

/// <summary>
/// Orders by state and customer, a page at a time; the URL holds the filters and the page, so a view can be linked. A
/// query that is an order id opens that order.
/// </summary>
public sealed class OrdersModel(OrdersQueries orders, SagaDiagram diagram) : PageModel
{
    const int MaxQueryLength = 100;
    const int MaxPage = 100_000;

    public IEnumerable<string> States => diagram.States;
    public string? State { get; private set; }
    public string? Customer { get; private set; }
    public OrderPage? Results { get; private set; }
    public string? Problem { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? state, string? q, int? page, CancellationToken cancellationToken)
    {
        q = q?.Trim();
        if (Guid.TryParse(q, out var orderId))
            return Redirect($"/orders/{orderId}");
        if (q is not null && InputText.Problem(q, MaxQueryLength) is { } problem)
            return Refuse($"q: an order id or a customer id. {problem}");
        if (!string.IsNullOrEmpty(state) && !diagram.States.Contains(state, StringComparer.Ordinal))
            return Refuse($"state: one of {string.Join(", ", diagram.States)}.");
        if (page is < 1 or > MaxPage)
            return Refuse($"page: 1 to {MaxPage}.");

        State = string.IsNullOrEmpty(state) ? null : state;
        Customer = string.IsNullOrEmpty(q) ? null : q;
        Results = await orders.ListAsync(State, Customer, page ?? 1, cancellationToken);
        return base.Page();
    }

    public string LinkTo(int page) => QueryString.Create(new Dictionary<string, string?>
    {
        ["state"] = State,
        ["q"] = Customer,
        ["page"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(x => x.Value is not null)).ToUriComponent() is var query ? $"/orders{query}" : "/orders";

    IActionResult Refuse(string problem)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return base.Page();
    }
}
