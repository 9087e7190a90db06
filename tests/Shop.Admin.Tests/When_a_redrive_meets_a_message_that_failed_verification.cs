using System.Security.Cryptography;
using Shop.Admin.Cli;
using Shop.Messaging.Signing;
using Shop.Testing;
using Xunit.Abstractions;

namespace Shop.Admin.Tests;

/// <summary>
/// A re-drive re-verifies every message with the services' public keys before the operator key re-signs it: a message
/// validly signed by its sender goes back (in that sender's name) even when its signature expired meanwhile; one that is
/// unsigned, forged, of an unknown key or from the wrong sender stays in <c>_error</c> — unless the operator names it,
/// and then the tool says what it re-signs and in whose name. A type list no one service may send never goes back.
/// </summary>
public sealed class When_a_redrive_meets_a_message_that_failed_verification(ITestOutputHelper log) : ErrorQueueTest
{
    const string ErrorQueue = PaymentEndpoint.Queue + "_error";
    static readonly string[] ChargeTypes = [DeadLetterPublisher.ChargePaymentUrn];

    DeadLetterPublisher Publisher => new(VirtualHost);

    [Fact]
    public async Task Should_put_back_an_expired_message_of_its_sender_in_its_sender_s_name()
    {
        Payments.GatewayDown = false;
        var messageId = await DeadLetterAsync("orders", signedAgo: TimeSpan.FromHours(3), rejected: "expired");

        var run = await Tool.RunAsync("errors", "redrive", "--all");
        log.WriteLine(run.ToString());

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        await Eventually.True(() => Task.FromResult(Payments.TimesConsumed(messageId) == 1), "the expired charge re-driven and consumed");
        var headers = Assert.Single(Payments.ConsumedMessages).TransportHeaders;
        Assert.Equal(("operator", "orders"), (headers[MessageSignature.SignerHeader], headers[MessageSignature.OriginalSignerHeader]));
        Assert.False(headers.ContainsKey(MessageSignature.RejectedHeader));
    }

    [Fact]
    public async Task Should_put_back_a_receiver_s_redelivery_in_the_name_of_the_original_signer()
    {
        Payments.GatewayDown = false;
        // Payments put the charge back on its own queue (a durable redelivery) before it failed for good.
        var messageId = await DeadLetterAsync("payments", original: "orders");

        var run = await Tool.RunAsync("errors", "redrive", "--all");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        await Eventually.True(() => Task.FromResult(Payments.TimesConsumed(messageId) == 1), "the redelivered charge re-driven");
        Assert.Equal("orders", Assert.Single(Payments.ConsumedMessages).TransportHeaders[MessageSignature.OriginalSignerHeader]);
    }

    [Fact]
    public async Task Should_refuse_an_original_signer_named_by_a_service_that_does_not_receive_the_message()
    {
        var messageId = await DeadLetterAsync("inventory", original: "orders");

        var run = await Tool.RunAsync("errors", "redrive", "--all");

        Assert.True(run.ExitCode == ExitCodes.PartlyFailed, run.ToString());
        Assert.Contains($"{messageId}  {PaymentEndpoint.Queue}  wrong-sender: 'inventory' names an original signer", run.Output);
    }

    [Theory]
    [InlineData("unsigned", null)]
    [InlineData("forged", null)]
    [InlineData("unknown-key", null)]
    [InlineData("wrong-sender", null)]
    [InlineData("wrong-sender", "wrong-sender")]
    [InlineData("forged", "forged")]
    public async Task Should_refuse_it_and_keep_it_in_the_error_queue(string refusal, string? rejectedHeader)
    {
        Payments.GatewayDown = false;
        var messageId = refusal switch
        {
            "unsigned" => await DeadLetterAsync(null, rejected: rejectedHeader),
            "forged" when rejectedHeader is null => await DeadLetterAsync("orders", forged: true),
            "unknown-key" => await DeadLetterAsync("orders", keyId: "orders-stolen"),
            "wrong-sender" when rejectedHeader is null => await DeadLetterAsync("inventory"),
            // Validly signed by its sender, but a service refused it: its verdict stands (a key revoked since, say).
            _ => await DeadLetterAsync("orders", rejected: rejectedHeader),
        };

        var run = await Tool.RunAsync("errors", "redrive", "--all");
        log.WriteLine(run.ToString());

        Assert.True(run.ExitCode == ExitCodes.PartlyFailed, run.ToString());
        Assert.Contains("Moved 0 of 1 message back to its queue.", run.Output);
        Assert.Contains("Refused 1 message, still in the error queue", run.Output);
        Assert.Contains($"{messageId}  {PaymentEndpoint.Queue}  {refusal}: ", run.Output);
        Assert.Equal(messageId.ToString(), Assert.Single(await Tool.ListAsync()).Id);
        await Consistently.True(() => Payments.TimesConsumed(messageId) == 0, "nothing refused reaches the consumer");
        Assert.Equal(0, Payments.TimesConsumed(messageId));
    }

    [Fact]
    public async Task Should_re_sign_a_refused_message_only_when_named_saying_what_and_in_whose_name()
    {
        Payments.GatewayDown = false;
        var forged = await DeadLetterAsync("orders", forged: true, rejected: "forged");
        var valid = await DeadLetterAsync("orders", rejected: "expired");

        var all = await Tool.RunAsync("errors", "redrive", "--all");
        Assert.True(all.ExitCode == ExitCodes.PartlyFailed, all.ToString());
        await Eventually.True(() => Task.FromResult(Payments.TimesConsumed(valid) == 1), "the valid charge re-driven");
        Assert.Equal(forged.ToString(), Assert.Single(await Tool.ListAsync()).Id);

        var named = await Tool.RunAsync("errors", "redrive", "--message-id", forged.ToString());
        log.WriteLine(named.ToString());

        Assert.True(named.ExitCode == ExitCodes.Success, named.ToString());
        Assert.Contains($"Re-signing with the operator key, in the name of 'orders', message {forged} ({DeadLetterPublisher.ChargePaymentUrn}) "
            + $"for queue {PaymentEndpoint.Queue}, although it was refused: forged", named.Output);
        await Eventually.True(() => Task.FromResult(Payments.TimesConsumed(forged) == 1), "the named charge re-driven");
        var headers = Payments.ConsumedMessages.Single(x => x.MessageId == forged).TransportHeaders;
        Assert.Equal(("operator", "orders", "-"),
            (headers[MessageSignature.SignerHeader], headers[MessageSignature.OriginalSignerHeader], headers[MessageSignature.OriginalKeyIdHeader]));
        Assert.Empty(await Tool.ListAsync());
    }

    [Fact]
    public async Task Should_never_put_back_a_type_list_no_one_service_may_send_even_when_named()
    {
        Payments.GatewayDown = false;
        string[] types = ["urn:message:shop:inventory:stock-committed:v1", "urn:message:SHOP:orders:order-submitted:v1"];
        var messageId = await DeadLetterAsync("inventory", types: types, rejected: "wrong-sender");

        var run = await Tool.RunAsync("errors", "redrive", messageId.ToString());
        log.WriteLine(run.ToString());

        Assert.True(run.ExitCode == ExitCodes.PartlyFailed, run.ToString());
        Assert.Contains("so it can never go back", run.Output);
        Assert.DoesNotContain("Re-signing", run.Output);
        Assert.Equal(messageId.ToString(), Assert.Single(await Tool.ListAsync()).Id);
    }

    [Fact]
    public async Task Should_show_on_a_dry_run_what_it_would_refuse_and_move_nothing()
    {
        var messageId = await DeadLetterAsync("inventory");

        var run = await Tool.RunAsync("errors", "redrive", "--all", "--dry-run");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("Would move 0 messages; nothing was changed (--dry-run).", run.Output);
        Assert.Contains($"{messageId}  {PaymentEndpoint.Queue}  wrong-sender: 'urn:message:shop:payments:charge-payment:v1' may only be sent by 'orders', not by 'inventory'", run.Output);
        Assert.Single(await Tool.ListAsync());
    }

    [Fact]
    public async Task Should_refuse_everything_without_public_keys_to_verify_with()
    {
        Payments.GatewayDown = false;
        var messageId = await DeadLetterAsync("orders", rejected: "expired");
        var empty = Directory.CreateTempSubdirectory("shop-admin-no-keys-");
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exitCode = await AdminCommandLine.InvokeAsync(
                ["errors", "redrive", "--all", "--operator-key", TestSigningKeys.OperatorKeyFile, "--keys", empty.FullName, .. Tool.ConnectionArguments],
                new AdminConsole(new StringReader(""), output, error));

            Assert.Equal(ExitCodes.PartlyFailed, exitCode);
            Assert.Contains($"{messageId}  {PaymentEndpoint.Queue}  unknown-key: ", output.ToString());
            Assert.Single(await Tool.ListAsync());
        }
        finally
        {
            empty.Delete(recursive: true);
        }
    }

    async Task<Guid> DeadLetterAsync(string? signer, TimeSpan? signedAgo = null, string? rejected = null, bool forged = false,
        string? keyId = null, IReadOnlyList<string>? types = null, string? original = null)
    {
        var messageId = Guid.NewGuid();
        types ??= ChargeTypes;
        var body = DeadLetterPublisher.ChargeBody(messageId, Guid.NewGuid(), types);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var headers = signer is null
            ? []
            : DeadLetterPublisher.Signature(signer, messageId, types, body, DateTimeOffset.UtcNow - (signedAgo ?? TimeSpan.Zero),
                forged ? other : null, keyId, original);
        if (rejected is not null)
            headers[MessageSignature.RejectedHeader] = rejected;
        await Publisher.PublishAsync(ErrorQueue, messageId, body, headers);
        return messageId;
    }
}
