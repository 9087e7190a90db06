using Shop.Admin.Cli;
using Shop.Messaging.Signing;
using Shop.Testing;

namespace Shop.Admin.Tests;

public sealed class When_a_message_is_redriven : ErrorQueueTest
{
    [Fact]
    public async Task Should_be_consumed_exactly_once_with_its_message_id_and_leave_the_error_queue_empty()
    {
        var orderId = Guid.NewGuid();
        var messageId = Assert.Single(await FailAsync(orderId));
        Payments.GatewayDown = false;

        var run = await Tool.RunAsync("errors", "redrive", messageId.ToString());

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("Moved 1 of 1 message back to its queue.", run.Output);
        await Eventually.True(() => Task.FromResult(Payments.TimesConsumed(messageId) == 1), "the re-driven charge consumed");
        await Consistently.True(() => Payments.TimesConsumed(messageId) == 1, "the charge consumed once only");
        Assert.Empty(await Tool.ListAsync());
    }

    [Fact]
    public async Task Should_arrive_without_the_fault_headers()
    {
        var messageId = Assert.Single(await FailAsync(Guid.NewGuid()));
        Payments.GatewayDown = false;

        await Tool.RunAsync("errors", "redrive", "--all");

        await Eventually.True(() => Task.FromResult(Payments.TimesConsumed(messageId) == 1), "the re-driven charge consumed");
        var consumed = Assert.Single(Payments.ConsumedMessages);
        Assert.DoesNotContain(consumed.Headers.Keys, key => key.StartsWith("MT-Fault-", StringComparison.Ordinal) || key == "MT-Reason");
        Assert.DoesNotContain(consumed.TransportHeaders.Keys, key => key.StartsWith("MT-Fault-", StringComparison.Ordinal) || key == "MT-Reason");
    }

    [Fact]
    public async Task Should_be_re_signed_by_the_operator_in_the_name_of_its_original_signer()
    {
        var messageId = Assert.Single(await FailAsync(Guid.NewGuid()));
        Payments.GatewayDown = false;

        var run = await Tool.RunAsync("errors", "redrive", messageId.ToString());

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        await Eventually.True(() => Task.FromResult(Payments.TimesConsumed(messageId) == 1), "the re-driven charge consumed");
        var headers = Assert.Single(Payments.ConsumedMessages).TransportHeaders;
        Assert.Equal("operator", headers[MessageSignature.SignerHeader]);
        // The charge was sent by Orders (the test bus signs it with Orders' key): the services hold Orders to the map.
        Assert.Equal("orders", headers[MessageSignature.OriginalSignerHeader]);
        Assert.Equal(TestSigningKeys.For("orders").KeyId, headers[MessageSignature.OriginalKeyIdHeader]);
        Assert.True(MessageSignature.TryParseTime(headers[MessageSignature.OriginalSignedAtHeader], out _));
    }

    [Fact]
    public async Task Should_move_nothing_on_a_dry_run()
    {
        var messageId = Assert.Single(await FailAsync(Guid.NewGuid()));
        Payments.GatewayDown = false;

        var run = await Tool.RunAsync("errors", "redrive", "--all", "--dry-run");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("Would move 1 message; nothing was changed (--dry-run).", run.Output);
        Assert.Equal(messageId.ToString(), Assert.Single(await Tool.ListAsync()).Id);
        await Consistently.True(() => Payments.TimesConsumed(messageId) == 0, "nothing re-driven reaches the consumer");
        Assert.Equal(0, Payments.TimesConsumed(messageId));
    }

    [Fact]
    public async Task Should_refuse_to_act_without_a_selection()
    {
        await FailAsync(Guid.NewGuid());

        var run = await Tool.RunAsync("errors", "redrive");

        Assert.Equal(ExitCodes.InvalidArguments, run.ExitCode);
        Assert.Single(await Tool.ListAsync());
    }
}
