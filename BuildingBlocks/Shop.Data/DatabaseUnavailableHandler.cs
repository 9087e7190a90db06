using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Shop.Data;

/// <summary>
/// A request that fails because the database is unreachable for a moment (restarting, out of connections, a broken
/// pooled connection) answers <c>503 Service Unavailable</c> with <c>Retry-After</c>, not 500: nothing was stored, and
/// the same request (with its Idempotency-Key) can simply be sent again.
/// </summary>
sealed class DatabaseUnavailableHandler(IProblemDetailsService problemDetails, ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 1;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!DatabaseErrors.IsTransient(exception))
            return false;

        logger.LogWarning(exception, "Database unavailable; answered 503");
        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Service temporarily unavailable",
                Detail = $"The database could not be reached; nothing was stored. Retry in {RetryAfterSeconds} s.",
            },
        });
    }
}
