using System.Net;
using Shop.PaymentProvider.Apis;
using Shop.Testing;
using static Shop.PaymentProvider.Tests.ProviderHost;

namespace Shop.PaymentProvider.Tests;

/// <summary>A simulator of its own, stopped and started again on the same database.</summary>
public sealed class When_the_provider_restarts : IAsyncLifetime
{
    TestDatabase _database = null!;

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync("paymentprovider_restart");

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task Should_keep_every_charge_refund_void_and_attempt_count()
    {
        var (chargeKey, voidKey, flakyKey, refundKey) = (NewKey(), NewKey(), NewKey(), NewKey("refund"));
        var orderId = Guid.NewGuid();
        ChargeView charge, voided;
        RefundView refund;

        await using (var before = await ProviderHost.StartAsync(_database))
        {
            charge = await ReadOk<ChargeView>(await before.Charge(chargeKey, orderId, 90m));
            refund = await ReadOk<RefundView>(await before.Refund(charge.ChargeId, refundKey, 40m));
            voided = await ReadOk<ChargeView>(await before.Void(voidKey, orderId));
            for (var attempt = 1; attempt <= 2; attempt++)
            {
                await ReadProblem(await before.Charge(flakyKey, orderId, 5m, "tok_processingError"), HttpStatusCode.ServiceUnavailable,
                    ProblemCodes.ProcessingError);
            }
        }

        await using var after = await ProviderHost.StartAsync(_database);

        Assert.Equal(charge with { AmountRefunded = 40m }, await ReadOk<ChargeView>(await after.Charge(chargeKey, orderId, 90m)));
        Assert.Equal(refund, await ReadOk<RefundView>(await after.Refund(charge.ChargeId, refundKey, 40m)));
        Assert.Equal(voided, await ReadOk<ChargeView>(await after.Charge(voidKey, orderId, 90m)));
        // Two failures were counted before the restart: a counter that restarted at 0 would fail this third attempt.
        var flaky = await ReadOk<ChargeView>(await after.Charge(flakyKey, orderId, 5m, "tok_processingError"));
        Assert.Equal("captured", flaky.Status);
        Assert.Equal(3, (await after.ChargesByOrder(orderId)).Length);
    }
}
