using System.Net.Http.Headers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Shop.Console.Audit;

/// <summary>
/// Writes an operator action into the affected order's own timeline. Orders is the only writer of its database, so the
/// console asks it (<c>POST /orders/{id}/operator-actions</c>) with the signed-in operator's own access token: Orders
/// checks the role and records who did it. Without <c>Console:OrdersApi</c> nothing is written (the audit still is).
/// </summary>
public sealed class OrderTimelineWriter(HttpClient http, IOptions<ConsoleOptions> options, ILogger<OrderTimelineWriter> logger)
{
    public async Task AppendAsync(HttpContext context, Guid orderId, Guid operationId, string action, ActionRecord record,
        CancellationToken cancellationToken)
    {
        if (options.Value.OrdersApi is not { } ordersApi)
            return;

        // The bearer caller's own token, else the one the sign-in saved in the cookie.
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? header["Bearer ".Length..].Trim()
            : await context.GetTokenAsync(Auth.ConsoleSignIn.CookieScheme, "access_token");
        if (string.IsNullOrEmpty(token))
        {
            logger.LogWarning("No access token to record operation {OperationId} in the timeline of order {OrderId}", operationId, orderId);
            return;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(ordersApi, $"orders/{orderId}/operator-actions"))
        {
            Content = JsonContent.Create(new
            {
                operation = operationId,
                action,
                messageId = record.MessageId,
                messageType = record.MessageType,
                result = record.Result,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            logger.LogWarning("Orders answered {Status} to operation {OperationId} for the timeline of order {OrderId}",
                (int)response.StatusCode, operationId, orderId);
        }
    }
}
