using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json.Nodes;
using MassTransit;
using Shop.Contracts;

namespace Shop.Analytics.Tests.Contracts;

/// <summary>
/// Who reads and who writes each message, taken from the services' compiled code, and the check that every message a
/// consumer declares (<see cref="MessageConsumers"/>) is written by the service allowed to send it
/// (<see cref="MessageSenders"/>) in a shape the consumer's committed schema can read.
/// </summary>
public static class ProducersAndConsumers
{
    /// <summary>Each service's code, by the name the sender and consumer maps use.</summary>
    public static readonly IReadOnlyDictionary<string, Assembly> Services = new Dictionary<string, Assembly>
    {
        [MessageSenders.Orders] = typeof(Orders.OrdersApp).Assembly,
        [MessageSenders.Inventory] = typeof(Inventory.InventoryApp).Assembly,
        [MessageSenders.Payments] = typeof(Payments.PaymentsApp).Assembly,
        [MessageSenders.Shipping] = typeof(Shipping.ShippingApp).Assembly,
        [MessageSenders.Notifications] = typeof(Notifications.NotificationsApp).Assembly,
        [MessageSenders.Analytics] = typeof(AnalyticsApp).Assembly,
    };

    /// <summary>
    /// The contracts a service's code reads: its consumers' <c>IConsumer&lt;T&gt;</c>, and its state machines' events and
    /// scheduled deadlines (<c>Event&lt;T&gt;</c>, <c>Schedule&lt;TSaga, T&gt;</c>). Faults of a contract are not the contract.
    /// </summary>
    public static IReadOnlySet<Type> ConsumedBy(Assembly code)
    {
        var consumed = new HashSet<Type>();
        foreach (var type in code.GetTypes().Where(x => x is { IsAbstract: false, IsGenericTypeDefinition: false }))
        {
            foreach (var contract in type.GetInterfaces()
                         .Where(x => x.IsGenericType && x.GetGenericTypeDefinition() == typeof(IConsumer<>))
                         .Select(x => x.GetGenericArguments()[0]))
                consumed.Add(contract);

            if (!IsStateMachine(type))
                continue;
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(x => x.PropertyType).Where(x => x.IsGenericType))
            {
                var definition = property.GetGenericTypeDefinition();
                if (definition == typeof(Event<>))
                    consumed.Add(property.GetGenericArguments()[0]);
                else if (definition == typeof(Schedule<,>))
                    consumed.Add(property.GetGenericArguments()[1]);
            }
        }

        consumed.IntersectWith(MessageSenders.All.Keys);
        return consumed;
    }

    /// <summary>The contracts a service's code constructs (a <c>new T(...)</c> anywhere in it, lambdas included), read from its metadata.</summary>
    public static IReadOnlySet<Type> ConstructedBy(Assembly code)
    {
        var byName = MessageSenders.All.Keys.ToDictionary(x => x.FullName!, x => x);
        var constructed = new HashSet<Type>();
        using var file = File.OpenRead(code.Location);
        using var pe = new PEReader(file);
        var metadata = pe.GetMetadataReader();
        foreach (var handle in metadata.MemberReferences)
        {
            var member = metadata.GetMemberReference(handle);
            if (member.Parent.Kind != HandleKind.TypeReference || !metadata.StringComparer.Equals(member.Name, ".ctor"))
                continue;
            var type = metadata.GetTypeReference((TypeReferenceHandle)member.Parent);
            if (byName.TryGetValue($"{metadata.GetString(type.Namespace)}.{metadata.GetString(type.Name)}", out var contract))
                constructed.Add(contract);
        }

        return constructed;
    }

    /// <summary>
    /// What is wrong between the consumers and the producers: a consumed message with no sender, or whose sender's code
    /// never writes it (a retired version is fine while its sender writes a newer one that every one of its consumers
    /// reads too), or whose written shape breaks its consumers' committed schema. Empty when every pair agrees.
    /// </summary>
    /// <param name="readerSchema">The committed schema a consumer was built against (null: none committed).</param>
    /// <param name="writerSchema">The schema of what the producer writes.</param>
    public static IReadOnlyList<string> Check(IReadOnlyDictionary<Type, IReadOnlyList<string>> consumers, IReadOnlyDictionary<Type, string> senders,
        IReadOnlyDictionary<string, IReadOnlySet<Type>> constructed, Func<Type, JsonObject?> readerSchema, Func<Type, JsonObject> writerSchema)
    {
        var problems = new List<string>();
        foreach (var (message, readers) in consumers.OrderBy(x => x.Key.Name, StringComparer.Ordinal))
        {
            var label = $"{message.Name} (read by {string.Join(", ", readers)})";
            if (!senders.TryGetValue(message, out var sender))
            {
                problems.Add($"{label}: no sender in MessageSenders");
                continue;
            }

            if (readerSchema(message) is not { } read)
            {
                problems.Add($"{label}: no committed schema for its readers");
                continue;
            }

            var writes = constructed.GetValueOrDefault(sender) ?? new HashSet<Type>();
            if (writes.Contains(message))
            {
                problems.AddRange(SchemaCompatibility.ReadBreaks(read, writerSchema(message))
                    .Select(x => $"{label}: written by {sender} in a shape its readers cannot read: {x}"));
                continue;
            }

            // Retired: the sender writes a later version of the same message, which its readers read as well.
            var (name, version) = ContractSchemas.NameOf(message);
            var successors = writes.Where(x => ContractSchemas.NameOf(x) is var other && other.Name == name && other.Version > version).ToList();
            if (successors.Count == 0)
            {
                problems.Add($"{label}: {sender} sends it (MessageSenders) but its code never writes it, nor a later version");
                continue;
            }

            foreach (var successor in successors)
            {
                var missing = readers.Where(reader => consumers.GetValueOrDefault(successor)?.Contains(reader) != true).ToList();
                if (missing.Count > 0)
                    problems.Add($"{label}: retired for {successor.Name}, which {string.Join(", ", missing)} does not read");
            }
        }

        return problems;
    }

    static bool IsStateMachine(Type type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(MassTransitStateMachine<>))
                return true;
        }

        return false;
    }
}
