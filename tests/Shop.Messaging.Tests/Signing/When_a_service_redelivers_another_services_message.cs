using MassTransit;
using Shop.Messaging.Signing;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;

namespace Shop.Messaging.Tests.Signing;

/// <summary>
/// A message of another service fails in a consumer and is put back by the receiving service's durable redelivery,
/// re-signed by that service. The redelivery names the original signer (a signed <c>Shop-Original-Signer</c>) and the
/// verifier holds that signer — not the service — to the sender map: the message is accepted, although the service
/// may not send its type itself.
/// </summary>
public sealed class When_a_service_redelivers_another_services_message : MessagingTest
{
    const string Sender = "payments";
    MessagingTestHost _host = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var senders = TestMessages.SentBy(MessagingTestHost.Signer).ToDictionary();
        senders[typeof(FlakyIncrement)] = Sender;
        _host = Own(await MessagingTestHost.StartAsync(Db, VirtualHost,
            bus => bus.AddConsumer<IncrementCounterConsumer, IncrementCounterConsumerDefinition>(), senders: senders));
    }

    [Fact]
    public async Task Should_be_accepted_in_the_name_of_its_original_signer()
    {
        var key = $"redelivered-{Guid.NewGuid():N}";

        await SendAsAsync(Sender, new FlakyIncrement(key, Failures: 2));

        await Eventually.True(async () => await _host.CounterValue(key) == 1, "the third delivery, re-signed by the host, consumed", TimeSpan.FromSeconds(20));
        Assert.Equal(3, IncrementCounterConsumer.Attempts[key]);
        Assert.Equal(0, await VirtualHost.MessagesReadyAsync("increment-counter_error"));
    }

    [Fact]
    public async Task Should_refuse_the_message_itself_from_the_host_s_own_key()
    {
        var key = $"own-key-{Guid.NewGuid():N}";

        await SendAsAsync(MessagingTestHost.Signer, new FlakyIncrement(key, Failures: 0));

        var rejected = await Eventually.Value(async () => (await VirtualHost.GetMessagesAsync("increment-counter_error"))
            .SingleOrDefault(x => x.Payload.Contains(key, StringComparison.Ordinal)), "the message in increment-counter_error");
        Assert.Equal("wrong-sender", rejected.Headers.GetProperty(MessageSignature.RejectedHeader).GetString());
        Assert.Null(await _host.CounterValue(key));
    }

    async Task SendAsAsync<T>(string signer, T message)
        where T : class
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestServers.RabbitMqHost, VirtualHost.Name, h =>
            {
                h.Username(TestServers.RabbitMqUser);
                h.Password(TestServers.RabbitMqPassword);
            });
            rabbit.ConnectSendObserver(new MessageSigningObserver(TestSigningKeys.For(signer), TimeProvider.System));
        });
        await bus.StartAsync();
        try
        {
            var endpoint = await bus.GetSendEndpoint(new Uri("queue:increment-counter"));
            await endpoint.Send(message);
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}
