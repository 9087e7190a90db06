using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Data;
using Shop.PaymentProvider.Data;
using Shop.PaymentProvider.Domain;
using Shop.ServiceDefaults;
using static Shop.PaymentProvider.Apis.RequestValidation;
using FromHeaderAttribute = Microsoft.AspNetCore.Mvc.FromHeaderAttribute;

namespace Shop.PaymentProvider.Apis;

/// <summary>
/// The provider's HTTP API, Stripe-like: every write carries an <c>Idempotency-Key</c> and answers its first outcome
/// again when repeated, so a client that lost an answer can simply ask again — or look the key up.
/// </summary>
public static class PaymentProviderApi
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxPaymentTokenLength = 100;

    public static WebApplication MapPaymentProviderApi(this WebApplication app)
    {
        // Every route of the API needs the merchant's secret key; only health and metrics answer without it.
        var charges = app.MapGroup("/charges").WithTags("Charges").AddEndpointFilter<ApiKeyFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden);

        charges.MapPost("", CreateCharge)
            .WithName("CreateCharge")
            .WithSummary("Charges an order once per Idempotency-Key; the same key answers the first outcome again.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        charges.MapPost("/voids", VoidCharge)
            .WithName("VoidCharge")
            .WithSummary("Voids the charge of an Idempotency-Key unless it is captured; before any charge, the key is voided for good.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        charges.MapPost("/{chargeId}/refunds", RefundCharge)
            .WithName("RefundCharge")
            .WithSummary("Refunds (part of) a captured charge once per Idempotency-Key; never more than was captured.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        charges.MapGet("", FindCharges)
            .WithName("FindCharges")
            .WithSummary("The charges of one idempotencyKey or of one orderId (exactly one of the two), oldest first.")
            .ProducesValidationProblem();
        charges.MapGet("/{chargeId}", GetCharge)
            .WithName("GetCharge")
            .WithSummary("One charge.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    static async Task<Results<Ok<ChargeView>, ValidationProblem, ProblemHttpResult, StatusCodeHttpResult>> CreateCharge(HttpContext httpContext,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, ProviderDbContext db, IOptions<JsonOptions> json,
        IOptions<ProviderOptions> options, TimeProvider clock, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        var cancellationToken = httpContext.RequestAborted;
        if (!IsValidIdempotencyKey(idempotencyKey))
            return InvalidIdempotencyKey(idempotencyKey);

        var read = await ReadBodyAsync<ChargeRequest>(httpContext.Request, json.Value, cancellationToken);
        if (read.Invalid is { } invalidBody)
            return invalidBody;
        if (read.Problem is { } problem)
            return problem;

        var request = read.Body!;
        var errors = new Dictionary<string, string[]>();
        if (request.OrderId is null || request.OrderId == Guid.Empty)
            errors["orderId"] = ["The orderId is required (a GUID, not empty)."];
        if (AmountError(request.Amount) is { } amountError)
            errors["amount"] = [amountError];
        if (request.PaymentToken is not { Length: > 0 and <= MaxPaymentTokenLength })
            errors["paymentToken"] = [$"The paymentToken is required, 1 to {MaxPaymentTokenLength} characters."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var orderId = request.OrderId!.Value;
        var amount = request.Amount!.Value;
        var token = request.PaymentToken!;
        var logger = Logger(loggers);

        if (token == TestTokens.GatewayRejected)
        {
            logger.LogInformation("Charge under key {IdempotencyKey} for order {OrderId} rejected by the gateway; nothing stored", idempotencyKey, orderId);
            return Problem(StatusCodes.Status403Forbidden, ProblemCodes.GatewayRejected, "Rejected by the gateway", "The gateway rejected this request.");
        }

        Charge? created = null;
        var charge = await db.FindChargeByKeyAsync(idempotencyKey, cancellationToken);
        if (charge is null)
        {
            if (token == TestTokens.ProcessingError)
            {
                var attempt = await db.CountAttemptAsync(idempotencyKey, cancellationToken);
                if (attempt <= ScriptedCharges.ProcessingErrorAttempts)
                {
                    logger.LogInformation("Charge under key {IdempotencyKey} for order {OrderId} failed with processing_error (attempt {Attempt}); nothing stored",
                        idempotencyKey, orderId, attempt);
                    return Problem(StatusCodes.Status503ServiceUnavailable, ProblemCodes.ProcessingError, "Processing error",
                        $"The charge could not be processed (attempt {attempt}); nothing was charged. Retry with the same {IdempotencyKeyHeader}.");
                }
            }

            var (status, declineCode) = ScriptedCharges.Decide(token, amount);
            created = new Charge
            {
                ChargeId = Guid.CreateVersion7(),
                IdempotencyKey = idempotencyKey,
                OrderId = orderId,
                Amount = amount,
                Status = status,
                DeclineCode = declineCode,
                CreatedAt = clock.GetUtcNow().ToStoredPrecision(),
            };
            charge = await db.StoreChargeOrFindWinnerAsync(created, cancellationToken);
            if (ReferenceEquals(charge, created))
            {
                logger.LogInformation("Charge {ChargeId} of {Amount} for order {OrderId} under key {IdempotencyKey}: {Status} {DeclineCode}",
                    charge.ChargeId, charge.Amount, charge.OrderId, charge.IdempotencyKey, charge.Status.ToWireName(), charge.DeclineCode ?? "");
            }
        }

        // A void stored before the charge (amount 0) answers every later charge of its order: it never captures.
        if (charge.OrderId != orderId || (charge.Status != ChargeStatus.Voided && charge.Amount != amount))
            return KeyReused(idempotencyKey, $"charge {charge.ChargeId} of {charge.Amount} for order {charge.OrderId}");
        if (!ReferenceEquals(charge, created))
        {
            logger.LogInformation("Charge {ChargeId} under key {IdempotencyKey} answered again: {Status}", charge.ChargeId, idempotencyKey,
                charge.Status.ToWireName());
        }

        return await Answer(httpContext, ChargeView.From(charge), ScriptedCharges.DeliveryFor(token), options.Value.SlowDelay, lifetime);
    }

    /// <summary>
    /// Answers as the token scripts it: at once, after the slow delay, or never — until the client gives up (or the
    /// simulator stops), when the connection is dropped the way a network loses an answer.
    /// </summary>
    static async Task<Results<Ok<ChargeView>, ValidationProblem, ProblemHttpResult, StatusCodeHttpResult>> Answer(HttpContext httpContext,
        ChargeView charge, AnswerDelivery delivery, TimeSpan slowDelay, IHostApplicationLifetime lifetime)
    {
        switch (delivery)
        {
            case AnswerDelivery.Prompt:
                return TypedResults.Ok(charge);
            case AnswerDelivery.Conflict:
                return Problem(StatusCodes.Status409Conflict, ProblemCodes.RequestInProgress, "Request in progress",
                    $"Another request with this {IdempotencyKeyHeader} is being processed; retry later.");
            case AnswerDelivery.Unauthorized:
                return Problem(StatusCodes.Status401Unauthorized, ProblemCodes.GatewayUnauthorized, "Unauthorized",
                    "The gateway refused this attempt.");
        }

        using var gone = CancellationTokenSource.CreateLinkedTokenSource(httpContext.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(delivery == AnswerDelivery.Slow ? slowDelay : Timeout.InfiniteTimeSpan, gone.Token);
        }
        catch (OperationCanceledException)
        {
            httpContext.Abort();
            return TypedResults.StatusCode(StatusCodes.Status499ClientClosedRequest);
        }

        return TypedResults.Ok(charge);
    }

    static async Task<Results<Ok<ChargeView>, ValidationProblem, ProblemHttpResult>> VoidCharge(HttpRequest httpRequest,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, ProviderDbContext db, IOptions<JsonOptions> json, TimeProvider clock,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!IsValidIdempotencyKey(idempotencyKey))
            return InvalidIdempotencyKey(idempotencyKey);

        var read = await ReadBodyAsync<VoidRequest>(httpRequest, json.Value, cancellationToken);
        if (read.Invalid is { } invalidBody)
            return invalidBody;
        if (read.Problem is { } problem)
            return problem;
        if (read.Body!.OrderId is not { } orderId || orderId == Guid.Empty)
            return Invalid("orderId", "The orderId is required (a GUID, not empty).");

        var logger = Logger(loggers);
        var charge = await db.FindChargeByKeyAsync(idempotencyKey, cancellationToken);
        if (charge is null)
        {
            // No charge under the key yet: store the void in its place, so the charge, if it ever arrives, finds it.
            var voided = new Charge
            {
                ChargeId = Guid.CreateVersion7(),
                IdempotencyKey = idempotencyKey,
                OrderId = orderId,
                Amount = 0m,
                Status = ChargeStatus.Voided,
                CreatedAt = clock.GetUtcNow().ToStoredPrecision(),
            };
            charge = await db.StoreChargeOrFindWinnerAsync(voided, cancellationToken);
            if (ReferenceEquals(charge, voided))
            {
                logger.LogInformation("Key {IdempotencyKey} of order {OrderId} voided before any charge: charge {ChargeId} voided",
                    idempotencyKey, orderId, voided.ChargeId);
                return TypedResults.Ok(ChargeView.From(voided));
            }
        }

        if (charge.OrderId != orderId)
            return KeyReused(idempotencyKey, $"charge {charge.ChargeId} for order {charge.OrderId}");

        if (charge.Status == ChargeStatus.Captured)
        {
            logger.LogInformation("Void of key {IdempotencyKey} refused: charge {ChargeId} is captured", idempotencyKey, charge.ChargeId);
            return Problem(StatusCodes.Status409Conflict, ProblemCodes.ChargeAlreadyCaptured, "Charge already captured",
                $"Charge {charge.ChargeId} under this {IdempotencyKeyHeader} is captured and cannot be voided; refund it instead.",
                new() { ["chargeId"] = charge.ChargeId });
        }

        logger.LogInformation("Void of key {IdempotencyKey}: charge {ChargeId} is already {Status}", idempotencyKey, charge.ChargeId,
            charge.Status.ToWireName());
        return TypedResults.Ok(ChargeView.From(charge));
    }

    static async Task<Results<Ok<RefundView>, ValidationProblem, ProblemHttpResult>> RefundCharge(string chargeId, HttpRequest httpRequest,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey, ProviderDbContext db, IOptions<JsonOptions> json, TimeProvider clock,
        ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(chargeId, out var id))
            return ValidationProblems.NotAGuid("chargeId");
        if (!IsValidIdempotencyKey(idempotencyKey))
            return InvalidIdempotencyKey(idempotencyKey);

        var read = await ReadBodyAsync<RefundRequest>(httpRequest, json.Value, cancellationToken);
        if (read.Invalid is { } invalidBody)
            return invalidBody;
        if (read.Problem is { } problem)
            return problem;
        if (AmountError(read.Body!.Amount) is { } amountError)
            return Invalid("amount", amountError);

        var amount = read.Body.Amount!.Value;
        if (await db.FindRefundByKeyAsync(idempotencyKey, cancellationToken) is { } earlier)
            return RefundReplay(earlier, id, amount);

        var charge = await db.Charges.AsNoTracking().SingleOrDefaultAsync(x => x.ChargeId == id, cancellationToken);
        if (charge is null)
            return ChargeNotFound(id);
        if (charge.Status != ChargeStatus.Captured)
        {
            return Problem(StatusCodes.Status409Conflict, ProblemCodes.ChargeNotCaptured, "Charge not captured",
                $"Charge {id} is {charge.Status.ToWireName()}: there is nothing to refund.", new() { ["chargeId"] = id });
        }

        var refund = new Refund
        {
            RefundId = Guid.CreateVersion7(),
            ChargeId = id,
            IdempotencyKey = idempotencyKey,
            Amount = amount,
            CreatedAt = clock.GetUtcNow().ToStoredPrecision(),
        };

        // The refund row and the raise of AmountRefunded commit together. The guarded UPDATE is the check: it locks the
        // charge row, and a concurrent refund waits for that lock and then re-evaluates the guard against the committed
        // sum (PostgreSQL re-checks the updated row, SQL Server's update lock serializes the read) — never above Amount.
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Refunds.Add(refund);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException exception) when (DatabaseErrors.IsUniqueViolation(exception))
            {
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                var winner = await db.FindRefundByKeyAsync(idempotencyKey, cancellationToken)
                    ?? throw new InvalidOperationException($"Refund key '{idempotencyKey}' conflicted but its refund is not found.", exception);
                return RefundReplay(winner, id, amount);
            }

            var raised = await db.Charges
                .Where(x => x.ChargeId == id && x.Status == ChargeStatus.Captured && x.AmountRefunded + amount <= x.Amount)
                .ExecuteUpdateAsync(setters => setters.SetProperty(x => x.AmountRefunded, x => x.AmountRefunded + amount), cancellationToken);
            if (raised == 0)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                db.ChangeTracker.Clear();
                var refunded = await db.Charges.AsNoTracking().Where(x => x.ChargeId == id).Select(x => x.AmountRefunded).SingleAsync(cancellationToken);
                Logger(loggers).LogInformation("Refund of {Amount} on charge {ChargeId} under key {IdempotencyKey} refused: {Refunded} of {Captured} already refunded",
                    amount, id, idempotencyKey, refunded, charge.Amount);
                return Problem(StatusCodes.Status409Conflict, ProblemCodes.AmountExceedsCaptured, "Amount exceeds captured",
                    $"Charge {id} captured {charge.Amount} and {refunded} of it is refunded: {amount} more would exceed it.",
                    new() { ["chargeId"] = id, ["amountRefundable"] = charge.Amount - refunded });
            }

            await transaction.CommitAsync(cancellationToken);
        }

        Logger(loggers).LogInformation("Refund {RefundId} of {Amount} on charge {ChargeId} for order {OrderId} under key {IdempotencyKey}",
            refund.RefundId, amount, id, charge.OrderId, idempotencyKey);
        return TypedResults.Ok(RefundView.From(refund));
    }

    static async Task<Results<Ok<ChargeView[]>, ValidationProblem>> FindCharges(HttpRequest httpRequest, ProviderDbContext db,
        CancellationToken cancellationToken)
    {
        const string keyField = "idempotencyKey", orderField = "orderId";
        var byKey = httpRequest.Query.TryGetValue(keyField, out var keys);
        var byOrder = httpRequest.Query.TryGetValue(orderField, out var orders);
        if (byKey == byOrder)
        {
            const string message = $"Give exactly one of '{keyField}' or '{orderField}'.";
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [keyField] = [message], [orderField] = [message] });
        }

        IQueryable<Charge> query;
        if (byKey)
        {
            var key = keys.Count == 1 ? keys[0] : "";
            if (!IsValidIdempotencyKey(key))
                return InvalidIdempotencyKey(key, keyField);
            query = db.Charges.Where(x => x.IdempotencyKey == key);
        }
        else
        {
            if (orders.Count != 1 || !Guid.TryParse(orders[0], out var orderId))
                return ValidationProblems.NotAGuid(orderField);
            query = db.Charges.Where(x => x.OrderId == orderId);
        }

        var charges = await query.AsNoTracking().OrderBy(x => x.CreatedAt).ThenBy(x => x.ChargeId).ToListAsync(cancellationToken);
        return TypedResults.Ok(charges.Select(ChargeView.From).ToArray());
    }

    static async Task<Results<Ok<ChargeView>, ValidationProblem, ProblemHttpResult>> GetCharge(string chargeId, ProviderDbContext db,
        CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(chargeId, out var id))
            return ValidationProblems.NotAGuid("chargeId");

        var charge = await db.Charges.AsNoTracking().SingleOrDefaultAsync(x => x.ChargeId == id, cancellationToken);
        return charge is null ? ChargeNotFound(id) : TypedResults.Ok(ChargeView.From(charge));
    }

    static Results<Ok<RefundView>, ValidationProblem, ProblemHttpResult> RefundReplay(Refund earlier, Guid chargeId, decimal amount) =>
        earlier.ChargeId == chargeId && earlier.Amount == amount
            ? TypedResults.Ok(RefundView.From(earlier))
            : KeyReused(earlier.IdempotencyKey, $"refund {earlier.RefundId} of {earlier.Amount} on charge {earlier.ChargeId}");

    static ProblemHttpResult KeyReused(string idempotencyKey, string firstUse) =>
        Problem(StatusCodes.Status409Conflict, ProblemCodes.IdempotencyKeyReused, "Idempotency key reused",
            $"The {IdempotencyKeyHeader} '{idempotencyKey}' was first used for {firstUse}; a different request may not reuse it.");

    static ProblemHttpResult ChargeNotFound(Guid chargeId) =>
        Problem(StatusCodes.Status404NotFound, ProblemCodes.ChargeNotFound, "Charge not found", $"There is no charge {chargeId}.",
            new() { ["chargeId"] = chargeId });

    /// <summary>A problem answer with a <c>code</c> member (<see cref="ProblemCodes"/>) and any further members.</summary>
    static ProblemHttpResult Problem(int status, string code, string title, string detail, Dictionary<string, object?>? extensions = null)
    {
        extensions ??= [];
        extensions["code"] = code;
        return TypedResults.Problem(statusCode: status, title: title, detail: detail, extensions: extensions);
    }

    static ILogger Logger(ILoggerFactory loggers) => loggers.CreateLogger(typeof(PaymentProviderApi));
}
