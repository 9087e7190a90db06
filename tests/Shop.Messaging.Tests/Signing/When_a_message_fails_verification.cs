using System.Security.Cryptography;
using MassTransit;
using Shop.Messaging.Signing;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests.Signing;

/// <summary>
/// Messages sent to the counter consumer from outside the host, each signed wrongly in one way: none is consumed or
/// retried; each lands in <c>increment-counter_error</c> with the reason in its headers — the operator's key alone too.
/// </summary>
public sealed class When_a_message_fails_verification : CounterHostTest
{
    const string ErrorQueue = "increment-counter_error";

    [Theory]
    [InlineData("unsigned")]
    [InlineData("forged")]
    [InlineData("expired")]
    [InlineData("wrong-sender")]
    [InlineData("unknown-key")]
    public async Task Should_move_it_to_the_error_queue_with_the_reason_unconsumed(string reason)
    {
        var key = $"rejected-{reason}";
        var host = TestSigningKeys.For(MessagingTestHost.Signer);
        var signer = reason switch
        {
            "unsigned" => null,
            // The host's name and key id, another key: the signature does not verify.
            "forged" => new MessageSigningObserver(host with { Key = ECDsa.Create(ECCurve.NamedCurves.nistP256) }, TimeProvider.System),
            "expired" => new MessageSigningObserver(host, new FixedClock(DateTimeOffset.UtcNow - TimeSpan.FromMinutes(6))),
            "wrong-sender" => new MessageSigningObserver(TestSigningKeys.For("payments"), TimeProvider.System),
            _ => new MessageSigningObserver(host with { KeyId = "stolen-1" }, TimeProvider.System),
        };

        var messageId = await SendFromOutside(new IncrementCounter(key), signer);

        var rejected = await Eventually.Value(async () => (await VirtualHost.GetMessagesAsync(ErrorQueue))
            .SingleOrDefault(x => x.Payload.Contains(key, StringComparison.Ordinal)), $"the {reason} message in {ErrorQueue}");
        Assert.Equal(reason, rejected.Headers.GetProperty(MessageSignature.RejectedHeader).GetString());
        Assert.Contains($"rejected ({reason})", rejected.Headers.GetProperty("MT-Fault-Message").GetString());
        Assert.Contains(messageId.ToString(), rejected.Payload);
        // Never consumed, never retried: past the endpoint's two 1 s redeliveries nothing is counted and no copy follows.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Null(await Host.CounterValue(key));
        Assert.Empty(await VirtualHost.GetMessagesAsync(ErrorQueue));
    }

    [Fact]
    public async Task Should_refuse_the_operator_key_alone_as_wrong_sender()
    {
        var messageId = await SendFromOutside(new IncrementCounter("operator-alone"), new MessageSigningObserver(TestSigningKeys.Operator, TimeProvider.System));

        var rejected = await Eventually.Value(async () => (await VirtualHost.GetMessagesAsync(ErrorQueue))
            .SingleOrDefault(x => x.Payload.Contains(messageId.ToString(), StringComparison.Ordinal)), $"the operator-signed message in {ErrorQueue}");
        Assert.Equal("wrong-sender", rejected.Headers.GetProperty(MessageSignature.RejectedHeader).GetString());
        Assert.Null(await Host.CounterValue("operator-alone"));
    }

    [Fact]
    public async Task Should_accept_a_clock_a_little_ahead()
    {
        var ahead = new FixedClock(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10));
        await SendFromOutside(new IncrementCounter("skewed"), new MessageSigningObserver(TestSigningKeys.For(MessagingTestHost.Signer), ahead));

        await Eventually.True(async () => await Host.CounterValue("skewed") == 1, "the message from a clock 10 s ahead consumed");
    }

    async Task<Guid> SendFromOutside<T>(T message, MessageSigningObserver? signer)
        where T : class
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestServers.RabbitMqHost, VirtualHost.Name, h =>
            {
                h.Username(TestServers.RabbitMqUser);
                h.Password(TestServers.RabbitMqPassword);
            });
            if (signer is not null)
                rabbit.ConnectSendObserver(signer);
        });
        await bus.StartAsync();
        try
        {
            var id = NewId.NextGuid();
            var endpoint = await bus.GetSendEndpoint(new Uri("queue:increment-counter"));
            await endpoint.Send(message, context => context.MessageId = id);
            return id;
        }
        finally
        {
            await bus.StopAsync();
        }
    }

    sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
