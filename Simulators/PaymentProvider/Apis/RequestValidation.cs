using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Shop.PaymentProvider.Data;
using Shop.ServiceDefaults;

namespace Shop.PaymentProvider.Apis;

/// <summary>The checks every provider endpoint makes; each failure is a 400 (or 413/415) ProblemDetails naming its field or header.</summary>
static partial class RequestValidation
{
    /// <summary>The largest amount a decimal(18,2) column holds: anything above would fail in the database, not here.</summary>
    public const decimal MaxStorableAmount = 9_999_999_999_999_999.99m;

    [GeneratedRegex("^[A-Za-z0-9:_.-]{1,100}$")]
    private static partial Regex IdempotencyKeyPattern();

    public static bool IsValidIdempotencyKey([NotNullWhen(true)] string? key) =>
        key is { Length: > 0 and <= ProviderDbContext.IdempotencyKeyLength } && IdempotencyKeyPattern().IsMatch(key);

    public static ValidationProblem InvalidIdempotencyKey(string? key, string field = PaymentProviderApi.IdempotencyKeyHeader) =>
        Invalid(field, key is null
                ? $"The {field} is required."
                : $"The {field} must be 1 to {ProviderDbContext.IdempotencyKeyLength} characters of A-Z, a-z, 0-9, ':', '_', '.' or '-'.");

    /// <summary>An amount of money: more than 0, at most two decimals.</summary>
    public static string? AmountError(decimal? amount) => amount switch
    {
        null => "The amount is required.",
        <= 0 => "The amount must be greater than 0.",
        > MaxStorableAmount => $"The amount must be at most {MaxStorableAmount}.",
        { } value when decimal.Round(value, 2) != value => "The amount may have at most two decimals.",
        _ => null,
    };

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Reads a JSON body: the body, or the answer to give instead (415, 413, or a 400 naming the field).</summary>
    public static async Task<BodyOrProblem<T>> ReadBodyAsync<T>(HttpRequest request, JsonOptions json, CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return new(Problem: TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as application/json."));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, json.SerializerOptions, cancellationToken);
            return body is null ? new(Invalid: Invalid("body", "A JSON object is required.")) : new(body);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new(Problem: TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"A request body may be at most {ServiceDefaultsExtensions.MaxRequestBodyBytes} bytes."));
        }
        catch (JsonException exception)
        {
            // The path names the field that did not parse ($.orderId → orderId); the whole body when there is none.
            var field = exception.Path?.TrimStart('$').TrimStart('.') is { Length: > 0 } path ? path : "body";
            return new(Invalid: Invalid(field, exception.Message));
        }
    }
}

/// <summary>A request body as read: exactly one of the three is set.</summary>
readonly record struct BodyOrProblem<T>(T? Body = null, ValidationProblem? Invalid = null, ProblemHttpResult? Problem = null)
    where T : class;
