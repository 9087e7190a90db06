using System.Security.Claims;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Orders.Data;
using Shop.Orders.Timeline;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Identity;

namespace Shop.Orders.Apis;

/// <summary>
/// An operator's action on a message that blocked an order (a re-drive or discard from the console), written into the
/// order's own timeline. Orders is the only writer of its database, so the console asks here with the operator's own
/// token: the line names who did it. Once per (operation, message): a repeated post records nothing new.
/// </summary>
public static class OperatorActionsApi
{
    public const int MessageIdLength = 200;
    public const int ResultLength = 500;
    static readonly string[] Actions = ["redrive", "discard"];

    public static WebApplication MapOperatorActionsApi(this WebApplication app)
    {
        app.MapPost("/orders/{id}/operator-actions", RecordOperatorAction)
            .WithTags("Orders")
            .WithName("RecordOperatorAction")
            .WithSummary("Record an operator's action on the order's timeline")
            .WithDescription("A re-drive or discard of a message that blocked the order, as the console did it; operators only.")
            .RequireAuthorization(ShopPolicies.Operator)
            .Accepts<OperatorActionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    static async Task<IResult> RecordOperatorAction(
        string id, HttpRequest request, ClaimsPrincipal user, OrdersDbContext db, TimeProvider clock, IOptions<JsonOptions> json,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var orderId))
            return ValidationProblems.NotAGuid("id");

        var (body, problem) = await JsonBodies.ReadAsync<OperatorActionRequest>(request, json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
            return problem;
        if (Validate(body!) is { Count: > 0 } errors)
            return TypedResults.ValidationProblem(errors);

        var name = $"{body!.Action} {body.MessageType}".Trim();
        var marker = $"operation {body.Operation}, message {body.MessageId}";
        var detail = $"by {OperatorOf(user)}, {marker}: {body.Result}";
        for (var attempt = 1; ; attempt++)
        {
            var state = await db.OrderStates.SingleOrDefaultAsync(x => x.CorrelationId == orderId, cancellationToken);
            if (state is null)
            {
                return await db.Orders.AnyAsync(x => x.Id == orderId, cancellationToken)
                    ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order has no saga yet", detail: $"Order {orderId} has no timeline yet.")
                    : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found", detail: $"There is no order {orderId}.");
            }

            if (await db.Timeline.AsNoTracking().Where(x => x.OrderId == orderId && x.Kind == OrderTimelineKind.OperatorAction && x.Detail!.Contains(marker))
                    .Select(x => new OrderHistoryEntry(x.Sequence, x.At, x.Kind.ToString(), x.Name, x.Detail)).FirstOrDefaultAsync(cancellationToken) is { } earlier)
                return TypedResults.Ok(earlier);

            // The next line of the order's history, numbered as the saga numbers its own; the saga's version guards it: a
            // message the saga handles meanwhile makes this save fail, and it is tried again after it.
            var entry = new OrderTimelineEntry
            {
                OrderId = orderId,
                Sequence = ++state.TimelineLength,
                At = clock.GetUtcNow(),
                Kind = OrderTimelineKind.OperatorAction,
                Name = name.Length <= OrderTimelineEntry.NameLength ? name : name[..OrderTimelineEntry.NameLength],
                Detail = detail.Length <= OrderTimelineEntry.DetailLength ? detail : detail[..OrderTimelineEntry.DetailLength],
            };
            state.Version++;
            db.Timeline.Add(entry);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return TypedResults.Created($"/orders/{orderId}/history",
                    new OrderHistoryEntry(entry.Sequence, entry.At, entry.Kind.ToString(), entry.Name, entry.Detail));
            }
            catch (DbUpdateException) when (attempt < 5)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    static Dictionary<string, string[]> Validate(OperatorActionRequest body)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Operation is not { } operation || operation == Guid.Empty)
            errors["operation"] = ["The operation's id (a GUID) is required."];
        if (body.Action is null || !Actions.Contains(body.Action, StringComparer.Ordinal))
            errors["action"] = ["Must be redrive or discard."];
        if (string.IsNullOrWhiteSpace(body.MessageId) || InputText.Problem(body.MessageId, MessageIdLength) is not null)
            errors["messageId"] = [$"The message's id is required: 1 to {MessageIdLength} characters, no control characters."];
        if (body.MessageType is not null && (body.MessageType.Length == 0 || InputText.Problem(body.MessageType, OrderTimelineEntry.NameLength - 10) is not null))
            errors["messageType"] = [$"1 to {OrderTimelineEntry.NameLength - 10} characters, no control characters."];
        if (string.IsNullOrWhiteSpace(body.Result) || InputText.Problem(body.Result, ResultLength) is not null)
            errors["result"] = [$"The result is required: 1 to {ResultLength} characters, no control characters."];
        return errors;
    }

    /// <summary>Who did it, from the operator's token: name and subject.</summary>
    static string OperatorOf(ClaimsPrincipal user)
    {
        var name = user.FindFirstValue("name") ?? user.Identity?.Name;
        var subject = user.Subject();
        return name is not null && subject is not null && name != subject ? $"{name} ({subject})" : name ?? subject ?? "an operator";
    }
}

/// <summary>An operator's action on a message of the order (a re-drive or discard), as the console reports it.</summary>
/// <param name="Result">moved, refused:&lt;reason&gt;, failed:&lt;error&gt;, discarded.</param>
public sealed record OperatorActionRequest(Guid? Operation, string? Action, string? MessageId, string? MessageType, string? Result);
