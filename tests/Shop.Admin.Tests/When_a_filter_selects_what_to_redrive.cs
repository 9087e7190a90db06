using Shop.Admin.Cli;
using Shop.Testing;

namespace Shop.Admin.Tests;

public sealed class When_a_filter_selects_what_to_redrive : ErrorQueueTest
{
    [Fact]
    public async Task Should_move_only_the_matching_messages_and_keep_the_others_in_order()
    {
        Guid[] orders = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var messageIds = await FailAsync(orders);
        Payments.GatewayDown = false;

        var run = await Tool.RunAsync("errors", "redrive", "--order", orders[1].ToString(), "--type", "charge-payment");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        await Eventually.True(() => Task.FromResult(Payments.TimesConsumed(messageIds[1]) == 1), "the selected charge consumed");
        await Consistently.True(() => Payments.ConsumedMessages.Count == 1, "no other charge consumed");
        Assert.Equal([orders[0].ToString(), orders[2].ToString()], (await Tool.ListAsync()).Select(x => x.OrderId));
    }

    [Fact]
    public async Task Should_move_nothing_when_the_filter_matches_nothing()
    {
        await FailAsync(Guid.NewGuid());
        Payments.GatewayDown = false;

        var run = await Tool.RunAsync("errors", "redrive", "--type", "RefundPayment");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Moved 0 of 0 messages", run.Output);
        Assert.Single(await Tool.ListAsync());
    }
}
