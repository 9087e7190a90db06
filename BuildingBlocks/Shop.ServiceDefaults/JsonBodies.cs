using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.ServiceDefaults;

/// <summary>
/// Reads a request's JSON body by hand rather than by minimal-API binding, so that every way a body can be wrong is a
/// problem-details answer naming the field: 415 for another media type, 413 past the size limit, 400 with the JSON
/// path for malformed JSON, a wrong type (numbers are never read from strings), or an unknown field.
/// </summary>
public static class JsonBodies
{
    public static async Task<(T? Body, IResult? Problem)> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options,
        CancellationToken cancellationToken)
        where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the body as application/json."));
        }

        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(request.Body, options, cancellationToken);
            return body is null ? (null, Invalid("body", "A JSON object is required.")) : (body, null);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
                detail: $"A request body may be at most {ServiceDefaultsExtensions.MaxRequestBodyBytes} bytes."));
        }
        catch (JsonException exception)
        {
            return (null, TypedResults.ValidationProblem(Describe(exception)));
        }
    }

    /// <summary>A JSON parse failure as a validation error on the field it happened at (<c>items[0].quantity</c>).</summary>
    public static Dictionary<string, string[]> Describe(JsonException exception)
    {
        var field = exception.Path?.TrimStart('$').TrimStart('.') is { Length: > 0 } path ? path : "body";
        // The serializer's message names .NET types; the client needs only what is wrong where.
        var message = exception.Message.Contains("could not be mapped", StringComparison.Ordinal)
            ? "Unknown field."
            : exception.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? "Wrong type (numbers must be JSON numbers, text must be JSON strings)."
                : "Malformed JSON.";
        return new Dictionary<string, string[]> { [field] = [message] };
    }

    public static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });
}
