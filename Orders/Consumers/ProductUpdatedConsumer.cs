using MassTransit;
using Microsoft.EntityFrameworkCore;
using Shop.Contracts;
using Shop.Data;
using Shop.Messaging.Retry;
using Shop.Orders.Data;
using Shop.Orders.Domain;
using Shop.ServiceDefaults;

namespace Shop.Orders.Consumers;

/// <summary>
/// Keeps the price list: a newer version of a product replaces the row, an older or equal one (out of order, or a
/// republished catalog) is ignored. Two events of one SKU at once: the version column is a concurrency token and the
/// insert of a new SKU is unique, so the loser retries and compares again.
/// </summary>
public sealed class ProductUpdatedConsumer(OrdersDbContext dbContext, ILogger<ProductUpdatedConsumer> logger) : IConsumer<ProductUpdated>
{
    public async Task Consume(ConsumeContext<ProductUpdated> context)
    {
        var product = context.Message;
        // Checked like any input from outside Orders: a product the API could never price is a poison message.
        if (!Skus.TryNormalize(product.Sku, out var sku, out var skuError) || sku != product.Sku)
            throw new PermanentMessageFailureException($"ProductUpdated has an invalid SKU: {skuError ?? "not normalised"}.");
        if (product.UnitPrice is < 0 or > OrderLimits.MaxUnitPrice || decimal.Round(product.UnitPrice, 2) != product.UnitPrice)
            throw new PermanentMessageFailureException($"ProductUpdated {sku} has an invalid unit price.");
        var name = product.Name.Length > OrderLimits.ProductNameLength ? product.Name[..OrderLimits.ProductNameLength] : product.Name;

        var price = await dbContext.Prices.SingleOrDefaultAsync(x => x.Sku == sku, context.CancellationToken);
        if (price is null)
        {
            dbContext.Prices.Add(new ProductPrice
            {
                Sku = sku,
                Name = name,
                UnitPrice = product.UnitPrice,
                Version = product.Version,
                UpdatedAt = product.UpdatedAt.ToStoredPrecision(),
            });
        }
        else if (product.Version > price.Version)
        {
            price.Name = name;
            price.UnitPrice = product.UnitPrice;
            price.Version = product.Version;
            price.UpdatedAt = product.UpdatedAt.ToStoredPrecision();
        }
        else
        {
            logger.LogDebug("Ignored version {Version} of {Sku}: version {Held} is held", product.Version, sku, price.Version);
            return;
        }

        await dbContext.SaveChangesAsync(context.CancellationToken);
    }
}
