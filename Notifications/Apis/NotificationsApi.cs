using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Notifications.Data;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Identity;

namespace Shop.Notifications.Apis;

public static class NotificationsApi
{
    public static WebApplication MapNotificationsApi(this WebApplication app)
    {
        app.MapGet("/notifications", GetNotifications)
            .WithName("GetNotifications")
            .RequireAuthorization(ShopPolicies.Operator)
            .WithSummary("The notifications sent to the customer about an order, oldest first.");
        return app;
    }

    static async Task<Results<Ok<List<NotificationResponse>>, ValidationProblem>> GetNotifications(string? orderId,
        NotificationsDbContext dbContext, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
            return ValidationProblems.NotAGuid("orderId");

        var notifications = await dbContext.Notifications.AsNoTracking()
            .Where(x => x.OrderId == id)
            .OrderBy(x => x.SentAt)
            .Select(x => new NotificationResponse(x.OrderId, x.Kind, x.Recipient, x.SentAt, x.Text))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(notifications);
    }
}
