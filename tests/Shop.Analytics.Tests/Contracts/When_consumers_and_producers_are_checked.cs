using System.Text.Json.Nodes;
using MassTransit;
using Shop.Contracts;

namespace Shop.Analytics.Tests.Contracts;

/// <summary>
/// Producer/consumer contract tests: each service declares what it reads (<see cref="MessageConsumers"/>), held to its
/// code; each message read is written by the service allowed to send it (<see cref="MessageSenders"/>), held to that
/// service's code, in a shape the readers' committed schema reads. Broken on purpose twice, to prove the check fires.
/// </summary>
public sealed class When_consumers_and_producers_are_checked
{
    static readonly IReadOnlyDictionary<string, IReadOnlySet<Type>> Constructed =
        ProducersAndConsumers.Services.ToDictionary(x => x.Key, x => ProducersAndConsumers.ConstructedBy(x.Value));

    [Fact]
    public void Should_declare_exactly_what_each_service_reads()
    {
        var read = ProducersAndConsumers.Services
            .SelectMany(service => ProducersAndConsumers.ConsumedBy(service.Value).Select(message => (Message: message, Service: service.Key)))
            .GroupBy(x => x.Message)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Service).Order(StringComparer.Ordinal).ToList());
        var declared = MessageConsumers.All.ToDictionary(x => x.Key, x => x.Value.Order(StringComparer.Ordinal).ToList());

        var problems = read.Keys.Union(declared.Keys)
            .Select(message => (message, code: read.GetValueOrDefault(message) ?? [], listed: declared.GetValueOrDefault(message) ?? []))
            .Where(x => !x.code.SequenceEqual(x.listed))
            .Select(x => $"{x.message.Name}: the code reads it in [{string.Join(", ", x.code)}], MessageConsumers lists [{string.Join(", ", x.listed)}]")
            .ToList();

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains(typeof(OrderCancelled), ProducersAndConsumers.ConsumedBy(ProducersAndConsumers.Services[MessageSenders.Analytics]));
    }

    [Fact]
    public void Should_have_every_message_read_written_by_its_sender_in_a_readable_shape()
    {
        var problems = ProducersAndConsumers.Check(MessageConsumers.All, MessageSenders.All, Constructed, ReaderSchema, ContractSchemas.Generate);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The check sees real writers: the saga writes the lifecycle events Analytics reads, Payments the captures.
        Assert.Contains(typeof(OrderCancelled), Constructed[MessageSenders.Orders]);
        Assert.Contains(typeof(PaymentCaptured), Constructed[MessageSenders.Payments]);
        Assert.DoesNotContain(typeof(OrderSubmittedV1), Constructed[MessageSenders.Orders]);
    }

    [Fact]
    public void Should_report_a_message_read_that_nobody_writes()
    {
        var consumers = new Dictionary<Type, IReadOnlyList<string>>(MessageConsumers.All) { [typeof(StockCounted)] = [MessageSenders.Analytics] };
        var senders = new Dictionary<Type, string>(MessageSenders.All) { [typeof(StockCounted)] = MessageSenders.Inventory };

        var problems = ProducersAndConsumers.Check(consumers, senders, Constructed,
            type => type == typeof(StockCounted) ? ContractSchemas.Generate(type) : ReaderSchema(type), ContractSchemas.Generate);

        var problem = Assert.Single(problems);
        Assert.Contains("StockCounted (read by analytics): inventory sends it", problem);
    }

    [Fact]
    public void Should_report_a_producer_that_stops_writing_what_its_readers_require()
    {
        // Orders ships an OrderCancelled without the reason, and with the time as a number: Notifications and Analytics break.
        JsonObject Broken(Type type)
        {
            var schema = ContractSchemas.Generate(type);
            if (type != typeof(OrderCancelled))
                return schema;
            schema["properties"]!.AsObject().Remove("reason");
            schema["required"] = new JsonArray(schema["required"]!.AsArray().Select(x => x!.GetValue<string>()).Where(x => x != "reason")
                .Select(x => (JsonNode)JsonValue.Create(x)).ToArray());
            schema["properties"]!["cancelledAt"] = new JsonObject { ["type"] = "integer" };
            return schema;
        }

        var problems = ProducersAndConsumers.Check(MessageConsumers.All, MessageSenders.All, Constructed, ReaderSchema, Broken);

        Assert.Equal(2, problems.Count);
        Assert.All(problems, x => Assert.StartsWith("OrderCancelled (read by notifications, analytics): written by orders", x));
        Assert.Contains(problems, x => x.Contains("$.reason: required by the reader, never written", StringComparison.Ordinal));
        Assert.Contains(problems, x => x.Contains("$.cancelledAt: written as integer", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_report_a_retired_version_whose_successor_a_reader_ignores()
    {
        // Analytics stops reading v2 of the submission while still reading v1: v1 is retired, so it would miss every new order.
        var consumers = new Dictionary<Type, IReadOnlyList<string>>(MessageConsumers.All) { [typeof(OrderSubmitted)] = [MessageSenders.Orders] };

        var problems = ProducersAndConsumers.Check(consumers, MessageSenders.All, Constructed, ReaderSchema, ContractSchemas.Generate);

        Assert.Equal(["OrderSubmittedV1 (read by orders, analytics): retired for OrderSubmitted, which analytics does not read"], problems);
    }

    static JsonObject? ReaderSchema(Type type) => ContractSchemas.NameOf(type) is var (name, version) ? ContractSchemas.Snapshot(name, version) : null;
}

/// <summary>A message a consumer might start reading before anyone writes it (the first broken case).</summary>
[MessageUrn("shop:inventory:stock-counted:v1")]
public sealed record StockCounted(string Sku, int OnHand, DateTimeOffset CountedAt);
