using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Shop.Console.Audit;
using Shop.Console.Broker;
using Shop.Console.Data;
using Shop.Operations.DeadLetters;

namespace Shop.Console.Pages.Operations;

/// <summary>
/// A re-drive or discard, in two steps. GET: the confirmation page — the messages of a group (message type and
/// exception type, optionally one queue) or one message, as they are in the error queues now, with the orders they block
/// and what a re-drive would do with each; it makes the operation's id. POST: acts on exactly the message ids the page
/// listed (new failures that arrived meanwhile are not swept in), once per operation id, then shows the outcome.
/// </summary>
public sealed class NewOperationModel(DeadLetterActions deadLetters, OrdersQueries orders, OperatorActionLog audit,
    OrderTimelineWriter timeline, ILogger<NewOperationModel> logger) : PageModel
{
    public const int MaxMessages = 500;
    const int MaxText = 200;

    public string Action { get; private set; } = OperatorActionKinds.Redrive;
    public Guid OperationId { get; private set; }
    public string? MessageType { get; private set; }
    public string? ExceptionType { get; private set; }
    public string? Queue { get; private set; }
    public IReadOnlyList<MessageOutcome> Messages { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> OrderStates { get; private set; } = new Dictionary<Guid, string>();
    public string? Problem { get; private set; }

    /// <summary>"12 orders, all Reserved": what the selection should unblock.</summary>
    public string OrdersSummary => StateSummary.Of([.. OrderStates.Values]);

    public IReadOnlyList<MessageOutcome> Acting => [.. Messages.Where(x => x.Result != MessageResult.Refused)];

    public async Task<IActionResult> OnGetAsync(string? action, string? type, string? exception, string? queue, string? messageId,
        string? order, CancellationToken cancellationToken)
    {
        if (Invalid(action, type, exception, queue, messageId) is { } problem)
            return Refuse(problem);
        if (order is not null && !Guid.TryParse(order, out _))
            return Refuse("order: an order id (a GUID).");
        if (type is null && messageId is null)
            return Refuse("type: a message type (or messageId: one message) is required.");

        Action = action!;
        MessageType = type;
        ExceptionType = exception;
        Queue = queue;
        OperationId = Guid.NewGuid();
        var filter = new DeadLetterFilter(MessageId: messageId, Queue: queue, MessageType: type, OrderId: order, ExceptionType: exception);
        var outcome = await deadLetters.PreviewAsync(filter, Action, cancellationToken);
        Messages = [.. outcome.Messages.Take(MaxMessages)];
        var orderIds = Messages.Select(x => OrderIdOf(x.Letter)).OfType<Guid>().Distinct().ToList();
        OrderStates = await orders.StatesOfAsync(orderIds, cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string? action, Guid operation, string[]? messageIds, CancellationToken cancellationToken)
    {
        if (!OperatorActionKinds.IsKnown(action))
            return Refuse("action: redrive or discard.");
        if (operation == Guid.Empty)
            return Refuse("operation: the operation id of the confirmation page is required.");
        var ids = (messageIds ?? []).Where(x => !string.IsNullOrWhiteSpace(x)).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0 || ids.Count > MaxMessages || ids.Any(x => x.Length > OperatorAction.MessageIdLength))
            return Refuse($"messageIds: 1 to {MaxMessages} message ids of at most {OperatorAction.MessageIdLength} characters.");

        // Claimed first: a second post of the operation (a double click, a reload, a retry) acts on nothing and shows the
        // first one's outcome.
        if (!await audit.ClaimAsync(operation, action!, OperatorName(), ids, cancellationToken))
            return Redirect($"/operations/{operation}");

        var outcome = action == OperatorActionKinds.Redrive
            ? await deadLetters.RedriveAsync(ids, cancellationToken)
            : await deadLetters.DiscardAsync(ids, cancellationToken);
        var found = outcome.Messages.ToDictionary(x => x.Letter.Id, StringComparer.Ordinal);
        var records = ids.Select(id => found.TryGetValue(id, out var message)
                ? new ActionRecord(id, message.Letter.ErrorQueue, message.Letter.MessageType, OrderIdOf(message.Letter), ResultOf(message))
                : new ActionRecord(id, null, null, null, "missing"))
            .ToList();
        await audit.CompleteAsync(operation, records, cancellationToken);

        // Each affected order's own history says what the operator did to it (Orders writes it, with the operator's token).
        foreach (var record in records.Where(x => x.OrderId is not null))
        {
            try
            {
                await timeline.AppendAsync(HttpContext, record.OrderId!.Value, operation, action!, record, cancellationToken);
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning(exception, "Recording operation {OperationId} in the timeline of order {OrderId} failed", operation, record.OrderId);
            }
        }

        return Redirect($"/operations/{operation}");
    }

    /// <summary>The audit's words for a message's result: moved, refused:&lt;reason&gt;, failed:&lt;error&gt;, discarded.</summary>
    static string ResultOf(MessageOutcome message) => message.Result switch
    {
        MessageResult.Moved => "moved",
        MessageResult.Refused => $"refused:{message.Detail}",
        MessageResult.Failed => $"failed:{message.Detail}",
        MessageResult.Discarded => "discarded",
        _ => message.Result.ToString().ToLowerInvariant(),
    };

    public static Guid? OrderIdOf(DeadLetter letter) => Guid.TryParse(letter.OrderId, out var id) ? id : null;

    /// <summary>The signed-in operator as the audit names them: name and subject, from the cookie's or the bearer token's claims.</summary>
    string OperatorName()
    {
        var name = User.Identity?.Name ?? User.FindFirst("name")?.Value ?? User.FindFirst("preferred_username")?.Value;
        var subject = User.FindFirst("sub")?.Value ?? User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        return (name, subject) switch
        {
            ({ } n, { } s) when n != s => $"{n} ({s})",
            ({ } n, _) => n,
            (_, { } s) => s,
            _ => "unknown",
        };
    }

    static string? Invalid(string? action, string? type, string? exception, string? queue, string? messageId)
    {
        if (!OperatorActionKinds.IsKnown(action))
            return "action: redrive or discard.";
        foreach (var (name, value) in new[] { ("type", type), ("exception", exception), ("queue", queue), ("messageId", messageId) })
        {
            if (value is not null && (value.Length == 0 || value.Length > MaxText || value.Any(char.IsControl)))
                return $"{name}: 1 to {MaxText} printable characters.";
        }

        return null;
    }

    IActionResult Refuse(string problem)
    {
        Problem = problem;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
