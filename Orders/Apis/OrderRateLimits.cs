using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Shop.ServiceDefaults.Identity;

namespace Shop.Orders.Apis;

/// <summary>
/// Per-customer limits on submitting and cancelling (<c>Orders:RateLimits</c>): one customer's script cannot flood the
/// saga. A fixed window per token subject; rejected requests get 429 with Retry-After (ServiceDefaults writes it).
/// </summary>
public static class OrderRateLimits
{
    public const string Submit = "orders-submit";
    public const string Cancel = "orders-cancel";

    public static IServiceCollection AddOrderRateLimits(this IServiceCollection services) =>
        services.Configure<RateLimiterOptions>(options =>
        {
            options.AddPolicy(Submit, context => PerSubject(context, limits => limits.Submit));
            options.AddPolicy(Cancel, context => PerSubject(context, limits => limits.Cancel));
        });

    static RateLimitPartition<string> PerSubject(HttpContext context, Func<OrderRateLimitOptions, RateLimit> pick)
    {
        var limit = pick(context.RequestServices.GetRequiredService<IOptions<OrdersOptions>>().Value.RateLimits);
        // Authorization runs first, so every request here has a subject; the role keeps an operator apart from a
        // customer of the same name.
        var subject = $"{(context.User.IsOperator() ? ShopRoles.Operator : ShopRoles.Customer)}:{context.User.Subject()}";
        return RateLimitPartition.GetFixedWindowLimiter(subject, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.PermitLimit,
            Window = limit.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
