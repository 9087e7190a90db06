using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.PaymentTokens;
using Shop.Orders.Data;
using Shop.Orders.Domain;
using Shop.Orders.Saga;
using Shop.Orders.Timeline;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Identity;

namespace Shop.Orders.Apis;

public static class OrdersApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The status of an order whose saga has not started yet, and of a newly accepted one.</summary>
    static readonly string SubmittedStatus = nameof(OrderStateMachine.Submitted);

    static readonly string[] FinalStatuses = [nameof(OrderStateMachine.Completed), nameof(OrderStateMachine.Cancelled)];

    public static WebApplication MapOrdersApi(this WebApplication app)
    {
        var orders = app.MapGroup("/orders").WithTags("Orders");

        // Customers submit (the customer id is the token's subject); customers see and cancel their own orders, operators any.
        orders.MapPost("", SubmitOrder)
            .WithName("SubmitOrder")
            .WithSummary("Submit an order")
            .WithDescription("Stores the order of the token's customer and starts its saga. With an Idempotency-Key header a retry " +
                "returns the same order; keys are the customer's own.")
            .RequireAuthorization(ShopPolicies.Customer)
            .RequireRateLimiting(OrderRateLimits.Submit)
            .Accepts<SubmitOrderRequest>("application/json")
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        orders.MapGet("/{id}", GetOrder)
            .WithName("GetOrder")
            .WithSummary("Get an order and its status")
            .RequireAuthorization(ShopPolicies.CustomerOrOperator)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapGet("/{id}/history", GetOrderHistory)
            .WithName("GetOrderHistory")
            .WithSummary("Everything that happened to an order")
            .WithDescription("Every message the saga handled, sent or scheduled and every state transition, oldest first.")
            .RequireAuthorization(ShopPolicies.CustomerOrOperator)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        orders.MapPost("/{id}/cancel", CancelOrder)
            .WithName("CancelOrder")
            .WithSummary("Ask to cancel an order")
            .WithDescription("Accepted while the order is in progress; the saga undoes whatever was done so far.")
            .RequireAuthorization(ShopPolicies.CustomerOrOperator)
            .RequireRateLimiting(OrderRateLimits.Cancel)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        return app;
    }

    static async Task<Results<Accepted<OrderAccepted>, ValidationProblem, ProblemHttpResult>> SubmitOrder(HttpRequest request,
        [Microsoft.AspNetCore.Mvc.FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, ClaimsPrincipal user, OrdersDbContext db,
        IPublishEndpoint publishEndpoint, OrderMetrics metrics, TimeProvider clock, IOptions<JsonOptions> json, PaymentTokenSealer tokens,
        CancellationToken cancellationToken)
    {
        if (CustomerIdOf(user) is not { } customerId)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Unusable customer id",
                detail: $"The token's subject must be 1 to {OrderLimits.IdLength} characters without control characters.");
        }

        if (!request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the order as application/json.");
        }

        if (idempotencyKey is not null && (string.IsNullOrWhiteSpace(idempotencyKey)
                || InputText.Problem(idempotencyKey, OrderLimits.IdempotencyKeyLength) is not null))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [IdempotencyKeyHeader] = [$"Must be 1 to {OrderLimits.IdempotencyKeyLength} characters, no control characters."],
            });
        }

        SubmitOrderRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<SubmitOrderRequest>(request.Body, json.Value.SerializerOptions, cancellationToken);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"An order may be at most {ServiceDefaultsExtensions.MaxRequestBodyBytes} bytes.");
        }
        catch (JsonException exception)
        {
            return TypedResults.ValidationProblem(JsonErrors.Describe(exception));
        }

        if (body is null)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["An order object is required."] });

        if (!SubmitOrderValidator.TryValidate(body, customerId, out var valid, out var errors))
            return TypedResults.ValidationProblem(errors);

        var requestHash = RequestHash(valid);
        if (idempotencyKey is not null && await FindByKey(db, customerId, idempotencyKey, cancellationToken) is { } earlier)
            return Replay(earlier, requestHash);

        // Every line at the catalog's price, from the price list Inventory's events keep here: no call on this path.
        var (lines, unknown) = await PriceAsync(db, valid.Lines, cancellationToken);
        if (unknown.Count > 0)
            return TypedResults.ValidationProblem(unknown);
        var total = lines.Sum(x => x.Quantity * x.UnitPrice);

        // Random (v4), not time-ordered: an order id is not guessable from another one.
        var orderId = Guid.NewGuid();
        var now = clock.GetUtcNow();
        db.Orders.Add(new Order
        {
            Id = orderId,
            CustomerId = valid.CustomerId,
            Email = valid.Email,
            Total = total,
            Lines = [.. lines.Select(x => new OrderItem { Sku = x.Sku, Quantity = x.Quantity, UnitPrice = x.UnitPrice })],
            // Sealed for Payments at once (bound to this order), so Orders never stores it in clear; kept on the order row
            // for the saga to take, never published (OrderSubmitted v2 has no token).
            PaymentToken = tokens.Seal(valid.PaymentToken, orderId),
            ShippingLine1 = valid.ShippingAddress.Line1,
            ShippingCity = valid.ShippingAddress.City,
            ShippingPostalCode = valid.ShippingAddress.PostalCode,
            ShippingCountry = valid.ShippingAddress.Country,
            CreatedAt = now,
            IdempotencyKey = idempotencyKey,
            RequestHash = requestHash,
        });

        // Written to the outbox on this DbContext: the order and its OrderSubmitted commit together, or neither does.
        await publishEndpoint.Publish(new OrderSubmitted(orderId, valid.CustomerId, valid.Email, lines, total,
            valid.ShippingAddress, now), cancellationToken);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (idempotencyKey is not null && DatabaseErrors.IsUniqueViolation(exception))
        {
            // A concurrent request with the same key won the insert: answer as its retry.
            db.ChangeTracker.Clear();
            var winner = await FindByKey(db, customerId, idempotencyKey, cancellationToken)
                ?? throw new InvalidOperationException($"Idempotency key '{idempotencyKey}' conflicted but its order is not found.", exception);
            return Replay(winner, requestHash);
        }

        metrics.Submitted();
        return Accepted(orderId);
    }

    static async Task<Results<Ok<OrderDetails>, ValidationProblem, ProblemHttpResult>> GetOrder(string id, ClaimsPrincipal user, OrdersDbContext db,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var orderId))
            return ValidationProblems.NotAGuid("id");

        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(x => x.Id == orderId, cancellationToken);
        if (order is null || !MayAccess(user, order.CustomerId))
            return OrderNotFound(orderId);

        var state = await db.OrderStates.AsNoTracking().SingleOrDefaultAsync(x => x.CorrelationId == orderId, cancellationToken);
        return TypedResults.Ok(new OrderDetails(
            order.Id,
            state?.CurrentState ?? SubmittedStatus,
            state?.CancellationReason,
            order.Total,
            [.. order.Lines.Select(x => new OrderItemDetails(x.Sku, x.Quantity, x.UnitPrice))],
            order.CreatedAt,
            state?.UpdatedAt ?? order.CreatedAt,
            state?.PaymentId,
            state?.TrackingNumber));
    }

    static async Task<Results<Ok<OrderHistory>, ValidationProblem, ProblemHttpResult>> GetOrderHistory(string id, ClaimsPrincipal user, OrdersDbContext db,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var orderId))
            return ValidationProblems.NotAGuid("id");

        if (!await ExistsForAsync(db, user, orderId, cancellationToken))
            return OrderNotFound(orderId);

        var entries = await db.Timeline.AsNoTracking()
            .Where(x => x.OrderId == orderId)
            .OrderBy(x => x.Sequence)
            .Select(x => new OrderHistoryEntry(x.Sequence, x.At, x.Kind.ToString(), x.Name, x.Detail))
            .ToListAsync(cancellationToken);
        // Fault lines as type and short reason, also those recorded before the timeline stored them that way.
        entries = [.. entries.Select(x => x.Kind == nameof(OrderTimelineKind.Faulted) && x.Detail is { } detail
            ? x with { Detail = FaultSummary.Of(detail) }
            : x)];
        return TypedResults.Ok(new OrderHistory(orderId, entries));
    }

    static async Task<Results<Accepted<CancelAccepted>, ValidationProblem, ProblemHttpResult>> CancelOrder(string id, ClaimsPrincipal user, OrdersDbContext db,
        ISendEndpointProvider sendEndpointProvider, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(id, out var orderId))
            return ValidationProblems.NotAGuid("id");

        if (!await ExistsForAsync(db, user, orderId, cancellationToken))
            return OrderNotFound(orderId);

        var status = await db.OrderStates.Where(x => x.CorrelationId == orderId).Select(x => x.CurrentState)
            .SingleOrDefaultAsync(cancellationToken) ?? SubmittedStatus;
        if (FinalStatuses.Contains(status))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Order can no longer be cancelled",
                detail: $"Order {orderId} is {status}.");
        }

        // Through the bus outbox: the command is sent once this SaveChanges commits.
        var saga = await sendEndpointProvider.GetSendEndpoint(ServiceQueues.OrderSaga);
        await saga.Send(new Contracts.CancelOrder(orderId, clock.GetUtcNow()), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);

        return TypedResults.Accepted(OrderLocation(orderId), new CancelAccepted(orderId, status));
    }

    /// <summary>The customer id a submit is for: the token's subject, when it fits the column and holds no control character.</summary>
    static string? CustomerIdOf(ClaimsPrincipal user) =>
        user.Subject() is { Length: > 0 and <= OrderLimits.IdLength } subject && !subject.Any(char.IsControl) ? subject : null;

    /// <summary>Operators may see any order, a customer only their own: anyone else's answers as if it did not exist.</summary>
    static bool MayAccess(ClaimsPrincipal user, string orderCustomerId) =>
        user.IsOperator() || string.Equals(user.Subject(), orderCustomerId, StringComparison.Ordinal);

    static async Task<bool> ExistsForAsync(OrdersDbContext db, ClaimsPrincipal user, Guid orderId, CancellationToken cancellationToken)
    {
        var owner = await db.Orders.Where(x => x.Id == orderId).Select(x => x.CustomerId).SingleOrDefaultAsync(cancellationToken);
        return owner is not null && MayAccess(user, owner);
    }

    /// <summary>The order's lines at the price list's prices, and a validation error for every line whose SKU has no price.</summary>
    static async Task<(List<OrderLine> Lines, Dictionary<string, string[]> Unknown)> PriceAsync(OrdersDbContext db,
        IReadOnlyList<RequestedLine> requested, CancellationToken cancellationToken)
    {
        var skus = requested.Select(x => x.Sku).ToList();
        var prices = await db.Prices.AsNoTracking().Where(x => skus.Contains(x.Sku))
            .ToDictionaryAsync(x => x.Sku, x => x.UnitPrice, StringComparer.Ordinal, cancellationToken);
        var lines = new List<OrderLine>(requested.Count);
        var unknown = new Dictionary<string, string[]>();
        for (var i = 0; i < requested.Count; i++)
        {
            if (prices.TryGetValue(requested[i].Sku, out var unitPrice))
                lines.Add(new OrderLine(requested[i].Sku, requested[i].Quantity, unitPrice));
            else
                unknown[$"items[{i}].sku"] = [$"Unknown SKU '{requested[i].Sku}': the catalog has no price for it."];
        }

        return (lines, unknown);
    }

    /// <summary>Keys are scoped to the customer: the same key from two customers is two orders.</summary>
    static Task<OrderKey?> FindByKey(OrdersDbContext db, string customerId, string idempotencyKey, CancellationToken cancellationToken) =>
        db.Orders.AsNoTracking()
            .Where(x => x.CustomerId == customerId && x.IdempotencyKey == idempotencyKey)
            .Select(x => new OrderKey(x.Id, x.RequestHash))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>A retry with a known key: the same answer as the first time, unless the body is a different order.</summary>
    static Results<Accepted<OrderAccepted>, ValidationProblem, ProblemHttpResult> Replay(OrderKey earlier, string requestHash) =>
        earlier.RequestHash == requestHash
            ? Accepted(earlier.OrderId)
            : TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Idempotency key reused",
                detail: $"The {IdempotencyKeyHeader} was already used for a different order ({earlier.OrderId}).");

    static Accepted<OrderAccepted> Accepted(Guid orderId) =>
        TypedResults.Accepted(OrderLocation(orderId), new OrderAccepted(orderId, SubmittedStatus));

    static string OrderLocation(Guid orderId) => $"/orders/{orderId}";

    /// <summary>
    /// The order without its payment token: a stored hash of a token (a low-entropy value such as <c>tok_visa</c>, or
    /// a card-like one) would let anyone holding the table test guesses against it, forever. A retry that changes only
    /// the token is the same order: it answers the first one, whose token was sealed then.
    /// </summary>
    static string RequestHash(ValidOrder order) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(order with { PaymentToken = "" })));

    static ProblemHttpResult OrderNotFound(Guid orderId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found", detail: $"There is no order {orderId}.");

    sealed record OrderKey(Guid OrderId, string RequestHash);
}
