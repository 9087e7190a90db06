using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Shop.Contracts;
using Shop.Inventory.Data;
using Shop.Inventory.Domain;
using Shop.ServiceDefaults;
using Shop.ServiceDefaults.Identity;

namespace Shop.Inventory.Apis;

public static class InventoryApi
{
    public static WebApplication MapInventoryApi(this WebApplication app)
    {
        // Operators only, and so is every group added under this one (the fallback policy says the same for any other).
        var inventory = app.MapGroup("").RequireAuthorization(ShopPolicies.Operator);
        var stock = inventory.MapGroup("/stock").WithTags("Stock");
        stock.MapGet("/{sku}", GetStock).WithName("GetStock").WithSummary("The stock of one SKU.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapPut("/{sku}", SetStock).WithName("SetStock")
            .WithSummary("Sets the units on hand of a SKU, creating it if new (operators, tests).")
            .Accepts<SetStockRequest>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        var products = inventory.MapGroup("/products").WithTags("Products");
        products.MapGet("/{sku}", GetProduct).WithName("GetProduct").WithSummary("The catalog entry of one SKU: name and unit price.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        products.MapPut("/{sku}", SetProduct).WithName("SetProduct")
            .WithSummary("Creates or changes a product (name, unit price) and publishes ProductUpdated (operators).")
            .Accepts<SetProductRequest>("application/json")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return app;
    }

    static async Task<Results<Ok<StockView>, ValidationProblem, ProblemHttpResult>> GetStock(string sku, InventoryDbContext dbContext,
        CancellationToken cancellationToken)
    {
        if (!Skus.TryNormalize(sku, out var normalized, out var error))
            return JsonBodies.Invalid("sku", error);

        var stock = await dbContext.Stock.AsNoTracking().SingleOrDefaultAsync(x => x.Sku == normalized, cancellationToken);
        return stock is null ? UnknownSku(normalized, "stock") : TypedResults.Ok(StockView.From(stock));
    }

    static async Task<IResult> SetStock(string sku, HttpRequest request, InventoryDbContext dbContext, IOptions<JsonOptions> json,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Skus.TryNormalize(sku, out var normalized, out var error))
            return JsonBodies.Invalid("sku", error);

        var (body, problem) = await JsonBodies.ReadAsync<SetStockRequest>(request, json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
            return problem;
        // A missing field is an error, not zero: {} must not empty the shelf.
        if (body!.OnHand is not { } onHand)
            return JsonBodies.Invalid("onHand", "Required.");
        if (onHand < 0)
            return JsonBodies.Invalid("onHand", "Must not be negative.");

        if (!await dbContext.TrySetOnHandAsync(normalized, onHand, clock.GetUtcNow(), cancellationToken))
        {
            var reserved = await dbContext.Stock.Where(x => x.Sku == normalized).Select(x => x.Reserved).SingleAsync(cancellationToken);
            return JsonBodies.Invalid("onHand", $"Must not be less than the {reserved} units reserved.");
        }

        var stock = await dbContext.Stock.AsNoTracking().SingleAsync(x => x.Sku == normalized, cancellationToken);
        return TypedResults.Ok(StockView.From(stock));
    }

    static async Task<Results<Ok<ProductView>, ValidationProblem, ProblemHttpResult>> GetProduct(string sku, InventoryDbContext dbContext,
        CancellationToken cancellationToken)
    {
        if (!Skus.TryNormalize(sku, out var normalized, out var error))
            return JsonBodies.Invalid("sku", error);

        var product = await dbContext.Products.AsNoTracking().SingleOrDefaultAsync(x => x.Sku == normalized, cancellationToken);
        return product is null ? UnknownSku(normalized, "product") : TypedResults.Ok(ProductView.From(product));
    }

    static async Task<IResult> SetProduct(string sku, HttpRequest request, InventoryDbContext dbContext, IPublishEndpoint publishEndpoint,
        IOptions<JsonOptions> json, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!Skus.TryNormalize(sku, out var normalized, out var error))
            return JsonBodies.Invalid("sku", error);

        var (body, problem) = await JsonBodies.ReadAsync<SetProductRequest>(request, json.Value.SerializerOptions, cancellationToken);
        if (problem is not null)
            return problem;

        var errors = new Dictionary<string, string[]>();
        var name = body!.Name?.Trim();
        if (string.IsNullOrEmpty(name))
            errors["name"] = ["Required."];
        else if (InputText.Problem(name, Product.MaxNameLength) is { } nameProblem)
            errors["name"] = [nameProblem];
        if (body.UnitPrice is not { } unitPrice)
            errors["unitPrice"] = ["Required."];
        else if (Product.PriceProblem(unitPrice) is { } priceProblem)
            errors["unitPrice"] = [priceProblem];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        return TypedResults.Ok(await dbContext.SetProductAsync(normalized, name!, body.UnitPrice!.Value, publishEndpoint, clock.GetUtcNow(),
            cancellationToken));
    }

    static ProblemHttpResult UnknownSku(string sku, string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown SKU", detail: $"There is no {what} for SKU '{sku}'.");
}

public sealed record StockView(string Sku, int OnHand, int Reserved, int Available)
{
    public static StockView From(StockItem stock) => new(stock.Sku, stock.OnHand, stock.Reserved, stock.OnHand - stock.Reserved);
}

/// <summary>PUT /stock/{sku}. Nullable so that a missing field is reported, not read as zero.</summary>
public sealed record SetStockRequest(int? OnHand);

/// <summary>PUT /products/{sku}.</summary>
public sealed record SetProductRequest(string? Name, decimal? UnitPrice);

public sealed record ProductView(string Sku, string Name, decimal UnitPrice, long Version, DateTimeOffset UpdatedAt)
{
    public static ProductView From(Product product) => new(product.Sku, product.Name, product.UnitPrice, product.Version, product.UpdatedAt);

    public ProductUpdated ToEvent() => new(Sku, Name, UnitPrice, Version, UpdatedAt);
}
