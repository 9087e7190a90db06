using System.Text;
using Shop.Admin.Cli;
using Shop.Messaging.Signing;
using Xunit.Abstractions;

namespace Shop.Admin.Tests;

/// <summary>
/// Whoever can publish wrote every header and the body of a dead letter: <c>errors show</c> and <c>errors list</c> print
/// control characters (terminal escapes that erase or move lines), bidirectional overrides and line separators as
/// visible <c>\u…</c> escapes, so nothing can hide the rejection header; and never print a payment token.
/// </summary>
public sealed class When_a_hostile_message_is_shown(ITestOutputHelper log) : ErrorQueueTest
{
    const string ErrorQueue = PaymentEndpoint.Queue + "_error";
    const string Token = "tok_live_4242_secret";

    // Moves the cursor up and erases the line: printed raw, it would wipe the line above it (the rejection header).
    const string EraseLineAbove = "\u001b[1A\u001b[2K";

    [Fact]
    public async Task Should_escape_every_control_and_bidi_character_and_mask_the_payment_token()
    {
        var messageId = Guid.NewGuid();
        string[] types = [DeadLetterPublisher.ChargePaymentUrn];
        var body = DeadLetterPublisher.ChargeBody(messageId, Guid.NewGuid(), types, paymentToken: Token, customerId: "evil\u202Etxt.exe\u0085\u007F");
        await new DeadLetterPublisher(VirtualHost).PublishAsync(ErrorQueue, messageId, body, new Dictionary<string, object?>
        {
            [MessageSignature.RejectedHeader] = "forged",
            // Sorted after the rejection header, so raw it would erase it.
            ["Shop-Z-Note"] = $"{EraseLineAbove}all good\rnothing to see\u009B2K\u2066",
        });

        var shown = await Tool.RunAsync("errors", "show", messageId.ToString());
        log.WriteLine(shown.Output);

        Assert.True(shown.ExitCode == ExitCodes.Success, shown.ToString());
        Assert.Contains($"{MessageSignature.RejectedHeader}: forged", shown.Output);
        Assert.Contains(@"Shop-Z-Note: \u001B[1A\u001B[2Kall good\u000Dnothing to see\u009B2K\u2066", shown.Output);
        AssertInert(shown.Output);
        Assert.DoesNotContain(Token, shown.Output);
        Assert.Contains("\"paymentToken\": \"***\"", shown.Output);

        var json = await Tool.RunAsync("errors", "show", messageId.ToString(), "--json");
        Assert.True(json.ExitCode == ExitCodes.Success, json.ToString());
        AssertInert(json.Output);
        Assert.DoesNotContain(Token, json.Output);

        var listed = await Tool.RunAsync("errors", "list");
        AssertInert(listed.Output);
    }

    [Fact]
    public async Task Should_mask_the_token_of_a_body_that_is_no_valid_json()
    {
        var messageId = Guid.NewGuid();
        var body = Encoding.UTF8.GetBytes($$"""{"message":{"paymentToken":"{{Token}}","paymentToken":"{{Token}}"}, "broken": """);
        await new DeadLetterPublisher(VirtualHost).PublishAsync(ErrorQueue, messageId, body, new Dictionary<string, object?>());

        var shown = await Tool.RunAsync("errors", "show", messageId.ToString());
        var json = await Tool.RunAsync("errors", "show", messageId.ToString(), "--json");

        Assert.True(shown.ExitCode == ExitCodes.Success, shown.ToString());
        Assert.DoesNotContain(Token, shown.Output);
        Assert.DoesNotContain(Token, json.Output);
        Assert.Contains("\"paymentToken\":\"***\"", shown.Output);
    }

    [Theory]
    [InlineData("\u001b[31m", @"\u001B[31m")]
    [InlineData("a\u0000b", @"a\u0000b")]
    [InlineData("\u202Eabc", @"\u202Eabc")]
    [InlineData("x\u2028y", @"x\u2028y")]
    [InlineData("plain text: ünïcode ok", "plain text: ünïcode ok")]
    public void Should_escape_text_for_a_terminal(string text, string printed) => Assert.Equal(printed, Terminal.Escape(text));

    [Fact]
    public void Should_keep_line_feeds_only_when_asked() =>
        Assert.Equal((@"a\u000Ab", "a\nb"), (Terminal.Escape("a\nb"), Terminal.Escape("a\nb", keepLineFeeds: true)));

    static void AssertInert(string output) =>
        Assert.DoesNotContain(output, c => (c < ' ' && c is not '\n' and not '\r') || c is >= '\u007F' and <= '\u009F'
                                           || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u2028' or '\u2029');
}
