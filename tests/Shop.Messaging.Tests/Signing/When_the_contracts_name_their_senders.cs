using System.Reflection;
using MassTransit;
using Shop.Contracts;
using Shop.Messaging.Signing;

namespace Shop.Messaging.Tests.Signing;

/// <summary>Every message of the contracts has the one service that may send it; consumers verify against it.</summary>
public sealed class When_the_contracts_name_their_senders
{
    static readonly string[] Services =
        [MessageSenders.Orders, MessageSenders.Payments, MessageSenders.Inventory, MessageSenders.Shipping, MessageSenders.Notifications,
            MessageSenders.Analytics];

    static IEnumerable<Type> ContractMessages => typeof(MessageSenders).Assembly.GetExportedTypes()
        .Where(x => x.Namespace == "Shop.Contracts" && x.IsClass && !x.IsAbstract && x.GetMethod("<Clone>$") is not null)
        .Where(x => x.GetCustomAttribute<MessageUrnAttribute>() is not null || !IsValueType(x));

    // Value types shared by messages (Common/), not messages themselves.
    static bool IsValueType(Type type) => type == typeof(OrderLine) || type == typeof(StockLine) || type == typeof(ShippingAddress);

    [Fact]
    public void Should_give_every_message_type_a_sender_among_the_services()
    {
        var messages = ContractMessages.ToList();
        Assert.True(messages.Count >= 25, $"only {messages.Count} contract messages found");
        foreach (var message in messages)
        {
            Assert.True(MessageSenders.All.TryGetValue(message, out var sender), $"{message.Name} has no sender");
            Assert.Contains(sender, Services);
        }
    }

    [Theory]
    [InlineData(typeof(PaymentCaptured), "payments")]
    [InlineData(typeof(PaymentDeclined), "payments")]
    [InlineData(typeof(ChargePayment), "orders")]
    [InlineData(typeof(RefundPayment), "orders")]
    [InlineData(typeof(StockReserved), "inventory")]
    [InlineData(typeof(ReserveStock), "orders")]
    [InlineData(typeof(ShipmentCreated), "shipping")]
    [InlineData(typeof(CreateShipment), "orders")]
    [InlineData(typeof(OrderCompleted), "orders")]
    [InlineData(typeof(PaymentTimeoutExpired), "orders")]
    public void Should_name_the_owner_of(Type message, string sender) => Assert.Equal(sender, MessageSenders.All[message]);

    [Fact]
    public void Should_give_every_command_a_consumer_among_the_services()
    {
        foreach (var command in MessageSenders.Commands.Keys)
        {
            Assert.True(MessageConsumers.All.TryGetValue(command, out var consumers) && consumers.Count > 0, $"{command.Name} has no consumer");
            Assert.All(consumers, consumer => Assert.Contains(consumer, Services));
        }
    }

    [Fact]
    public void Should_name_consumers_only_of_contract_messages()
    {
        foreach (var (message, consumers) in MessageConsumers.All)
        {
            Assert.True(MessageSenders.All.ContainsKey(message), $"{message.Name} is no contract message");
            Assert.NotEmpty(consumers);
            Assert.All(consumers, consumer => Assert.Contains(consumer, Services));
        }
    }

    [Fact]
    public void Should_let_only_a_consumer_of_a_message_send_its_fault()
    {
        var map = new MessageSenderMap(MessageSenders.All, MessageConsumers.All);
        Assert.Equal(["payments"], map.SendersOf(MessageUrn.ForTypeString<PaymentCaptured>()));
        Assert.Equal(["inventory"], map.SendersOf(MessageUrn.ForTypeString<Fault<CommitStock>>()));
        Assert.Equal(["payments"], map.SendersOf(MessageUrn.ForTypeString<Fault<ChargePayment>>()));
        Assert.Equal(["orders", "analytics"], map.SendersOf(MessageUrn.ForTypeString<Fault<PaymentCaptured>>()).Order().Reverse());
        Assert.Empty(map.SendersOf(MessageUrn.ForTypeString<Fault<StockCommitted>>()));
        Assert.Empty(map.SendersOf("urn:message:Shop.Contracts:SomethingElse"));
    }

    [Fact]
    public void Should_look_a_type_up_ignoring_case_as_mass_transit_matches_it()
    {
        var map = new MessageSenderMap(MessageSenders.All, MessageConsumers.All);
        Assert.Equal(["orders"], map.SendersOf("urn:message:SHOP:orders:order-submitted:v1"));
        Assert.Equal(["payments"], map.SendersOf(MessageUrn.ForTypeString<Fault<ChargePayment>>().ToUpperInvariant()));
    }

    [Fact]
    public void Should_name_the_one_service_that_may_send_every_type_of_an_envelope()
    {
        var map = new MessageSenderMap(MessageSenders.All, MessageConsumers.All);
        Assert.Equal("payments", map.SenderOfAll([MessageUrn.ForTypeString<PaymentCaptured>()]));
        Assert.Null(map.SenderOfAll([MessageUrn.ForTypeString<StockCommitted>(), MessageUrn.ForTypeString<OrderSubmittedV1>()]));
        Assert.Null(map.SenderOfAll(["urn:message:Shop.Contracts:SomethingElse"]));
    }
}
