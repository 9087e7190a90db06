using Microsoft.EntityFrameworkCore;
using Shop.Orders.Data;

namespace Shop.Orders.Saga;

/// <summary>Where the saga takes an order's payment token from: it is not in <c>OrderSubmitted</c> (v2), which every subscriber sees.</summary>
public interface IPaymentTokenSource
{
    /// <summary>Takes the order's token (it is kept nowhere else afterwards); null when there is none (already taken).</summary>
    Task<string?> TakeAsync(Guid orderId, CancellationToken cancellationToken);
}

/// <summary>
/// The token the API stored on the order row, moved into the saga row: read and cleared on the saga's DbContext, so
/// in the transaction that starts the saga (a rolled-back attempt leaves it on the order row for the retry).
/// </summary>
sealed class OrderRowPaymentTokens(OrdersDbContext dbContext) : IPaymentTokenSource
{
    public async Task<string?> TakeAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var token = await dbContext.Orders.Where(x => x.Id == orderId).Select(x => x.PaymentToken).SingleOrDefaultAsync(cancellationToken);
        if (token is not null)
        {
            await dbContext.Orders.Where(x => x.Id == orderId)
                .ExecuteUpdateAsync(x => x.SetProperty(o => o.PaymentToken, (string?)null), cancellationToken);
        }

        return token;
    }
}
