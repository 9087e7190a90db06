using Shop.Admin.Cli;
using Shop.Testing;

namespace Shop.Admin.Tests;

public sealed class When_messages_are_discarded : ErrorQueueTest
{
    [Theory]
    [InlineData("n\n")]
    [InlineData("2\n")]
    [InlineData("")]
    public async Task Should_remove_nothing_without_confirmation(string typed)
    {
        Guid[] orders = [Guid.NewGuid(), Guid.NewGuid()];
        await FailAsync(orders);

        var run = await Tool.RunTypingAsync(typed, "errors", "discard", "--order", orders[0].ToString());

        Assert.Equal(ExitCodes.NotConfirmed, run.ExitCode);
        Assert.Contains("Discard 1 message for good? Type 1 or y to confirm:", run.Error);
        Assert.Contains("Not confirmed: nothing was discarded.", run.Output);
        Assert.Equal(orders.Select(x => x.ToString()), (await Tool.ListAsync()).Select(x => x.OrderId));
    }

    [Theory]
    [InlineData("1\n")]
    [InlineData("y\n")]
    public async Task Should_remove_only_the_matches_once_confirmed_and_keep_the_others_in_order(string typed)
    {
        Guid[] orders = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        await FailAsync(orders);
        // With the gateway back, a discarded message that was requeued instead of removed would be consumed.
        Payments.GatewayDown = false;

        var run = await Tool.RunTypingAsync(typed, "errors", "discard", "--order", orders[1].ToString());

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("Discarded 1 message.", run.Output);
        Assert.Equal([orders[0].ToString(), orders[2].ToString()], (await Tool.ListAsync()).Select(x => x.OrderId));
        await Consistently.True(() => Payments.ConsumedMessages.Count == 0, "nothing discarded reaches the consumer");
        Assert.Empty(Payments.ConsumedMessages);
    }

    [Fact]
    public async Task Should_not_ask_when_told_yes()
    {
        await FailAsync(Guid.NewGuid(), Guid.NewGuid());

        var run = await Tool.RunAsync("errors", "discard", "--all", "--yes");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal("", run.Error);
        Assert.Empty(await Tool.ListAsync());
    }
}
