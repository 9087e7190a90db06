using Shop.Testing;

namespace Shop.Admin.Tests;

/// <summary>A fresh virtual host with the failing <c>charge-payment</c> endpoint and the tool pointed at it.</summary>
public abstract class ErrorQueueTest : IAsyncLifetime
{
    protected TestVirtualHost VirtualHost { get; private set; } = null!;
    protected PaymentEndpoint Payments { get; private set; } = null!;
    protected AdminTool Tool { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        VirtualHost = await TestVirtualHost.CreateAsync("shop-admin");
        Payments = await PaymentEndpoint.StartAsync(VirtualHost);
        Tool = new AdminTool(VirtualHost);
    }

    public async Task DisposeAsync()
    {
        await Payments.DisposeAsync();
        await VirtualHost.DisposeAsync();
    }

    /// <summary>Sends one charge per order while the gateway is down and waits until all of them are in the error queue.</summary>
    protected async Task<IReadOnlyList<Guid>> FailAsync(params Guid[] orderIds)
    {
        var messageIds = new List<Guid>();
        foreach (var orderId in orderIds)
        {
            messageIds.Add(await Payments.ChargeAsync(orderId));
            // One at a time, so that the error queue holds them in this order.
            await Tool.WaitForErrorsAsync(messageIds.Count);
        }

        return messageIds;
    }
}
