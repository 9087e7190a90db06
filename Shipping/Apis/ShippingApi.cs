using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Identity;
using Shop.Shipping.Data;

namespace Shop.Shipping.Apis;

public static class ShippingApi
{
    public static WebApplication MapShippingApi(this WebApplication app)
    {
        app.MapGet("/shipments", GetShipments)
            .WithName("GetShipments")
            .RequireAuthorization(ShopPolicies.Operator)
            .WithSummary("The shipping record of an order (created, failed or cancelled); empty when there is none.");
        return app;
    }

    static async Task<Results<Ok<List<ShipmentResponse>>, ValidationProblem>> GetShipments(string? orderId,
        ShippingDbContext dbContext, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(orderId, out var id))
            return ValidationProblems.NotAGuid("orderId");

        var shipments = await dbContext.Shipments.AsNoTracking()
            .Where(x => x.OrderId == id)
            .Select(x => new ShipmentResponse(x.Id, x.OrderId, x.TrackingNumber, x.Status, x.Country, x.CreatedAt, x.Reason))
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(shipments);
    }
}
