using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Console.Data;
using Shop.Orders.Timeline;

namespace Shop.Console.Pages.Orders;

/// <summary>One order: status, amounts, lines and its timeline as the saga recorded it.</summary>
public sealed class OrderDetailsModel(OrdersQueries orders, RecordQueries records, ProviderRecords provider) : PageModel
{
    public Guid OrderId { get; private set; }
    public OrderDetails? Details { get; private set; }

    /// <summary>Payments' ledger lines for the order; null when the console has no connection to Payments' database.</summary>
    public IReadOnlyList<PaymentLine>? Payments { get; private set; }

    public IReadOnlyList<ShipmentLine>? Shipments { get; private set; }

    /// <summary>The order's charges as the payment provider holds them, or why they could not be read.</summary>
    public ProviderCharges? ProviderCharges { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken)
    {
        OrderId = id;
        Details = await orders.OrderAsync(id, cancellationToken);
        if (Details is null)
            return NotFound();
        Payments = await records.PaymentsOfAsync(id, cancellationToken);
        Shipments = await records.ShipmentsOfAsync(id, cancellationToken);
        ProviderCharges = await provider.ChargesOfAsync(id, cancellationToken);
        return Page();
    }

    /// <summary>A timeline line's kind as a word an operator reads.</summary>
    public static string Describe(OrderTimelineKind kind) => kind switch
    {
        OrderTimelineKind.Received => "received",
        OrderTimelineKind.Sent => "sent",
        OrderTimelineKind.Scheduled => "timer set",
        OrderTimelineKind.Unscheduled => "timer withdrawn",
        OrderTimelineKind.Transitioned => "now",
        OrderTimelineKind.Faulted => "fault",
        OrderTimelineKind.OperatorAction => "operator",
        _ => kind.ToString(),
    };
}
