using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Shop.Inventory.Data;
using Shop.Inventory.Domain;
using Shop.ServiceDefaults.Identity;

namespace Shop.Inventory.Apis;

public static class InventoryApi
{
    public static WebApplication MapInventoryApi(this WebApplication app)
    {
        // Operators only, and so is every group added under this one (the fallback policy says the same for any other).
        var inventory = app.MapGroup("").RequireAuthorization(ShopPolicies.Operator);
        var stock = inventory.MapGroup("/stock").WithTags("Stock");
        stock.MapGet("/{sku}", GetStock).WithName("GetStock").WithSummary("The stock of one SKU.");
        stock.MapPut("/{sku}", SetStock).WithName("SetStock").WithSummary("Sets the units on hand of a SKU, creating it if new (operators, tests).");
        return app;
    }

    static async Task<Results<Ok<StockView>, ProblemHttpResult>> GetStock(string sku, InventoryDbContext dbContext, CancellationToken cancellationToken)
    {
        var stock = await dbContext.Stock.AsNoTracking().SingleOrDefaultAsync(x => x.Sku == sku, cancellationToken);
        return stock is null ? UnknownSku(sku) : TypedResults.Ok(StockView.From(stock));
    }

    static async Task<Results<Ok<StockView>, ValidationProblem>> SetStock(string sku, SetStockRequest request, InventoryDbContext dbContext,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (sku.Length > StockItem.MaxSkuLength)
            return Invalid("sku", $"At most {StockItem.MaxSkuLength} characters.");
        if (request.OnHand < 0)
            return Invalid("onHand", "Must not be negative.");

        if (!await dbContext.TrySetOnHandAsync(sku, request.OnHand, clock.GetUtcNow(), cancellationToken))
        {
            var reserved = await dbContext.Stock.Where(x => x.Sku == sku).Select(x => x.Reserved).SingleAsync(cancellationToken);
            return Invalid("onHand", $"Must not be less than the {reserved} units reserved.");
        }

        var stock = await dbContext.Stock.AsNoTracking().SingleAsync(x => x.Sku == sku, cancellationToken);
        return TypedResults.Ok(StockView.From(stock));
    }

    static ProblemHttpResult UnknownSku(string sku) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown SKU", detail: $"There is no stock for SKU '{sku}'.");

    static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });
}

public sealed record StockView(string Sku, int OnHand, int Reserved, int Available)
{
    public static StockView From(StockItem stock) => new(stock.Sku, stock.OnHand, stock.Reserved, stock.OnHand - stock.Reserved);
}

public sealed record SetStockRequest(int OnHand);
