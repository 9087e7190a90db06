using System.Reflection;

namespace Shop.Messaging.Routing;

/// <summary>One routed property of a message and the header its value travels in.</summary>
public sealed record RoutingHeader(string Name, PropertyInfo Property)
{
    /// <summary>The value as a header carries it (text: a headers exchange compares exactly), or null to set none.</summary>
    public string? ValueOf(object message) => Property.GetValue(message) switch
    {
        null => null,
        string text => text,
        Enum value => value.ToString(),
        IFormattable value => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        var value => value.ToString(),
    };
}

/// <summary>
/// The routing headers of each message type (the contracts' table, e.g. <c>Shop.Contracts.MessageRoutes</c>), checked
/// once at start-up: a property named that the type does not have fails the service's start, not a publish.
/// </summary>
public sealed class RoutingHeaderMap
{
    public static readonly RoutingHeaderMap Empty = new(new Dictionary<Type, IReadOnlyList<string>>(), _ => "");

    public RoutingHeaderMap(IReadOnlyDictionary<Type, IReadOnlyList<string>> properties, Func<string, string> headerOf)
    {
        Routes = properties.ToDictionary(x => x.Key, x => (IReadOnlyList<RoutingHeader>)x.Value
            .Select(name => new RoutingHeader(headerOf(name), x.Key.GetProperty(name, BindingFlags.Public | BindingFlags.Instance)
                ?? throw new ArgumentException($"{x.Key.Name} has no public property '{name}' to route by.", nameof(properties))))
            .ToList());
    }

    public IReadOnlyDictionary<Type, IReadOnlyList<RoutingHeader>> Routes { get; }
}
