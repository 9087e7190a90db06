using System.Reflection;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Shop.Messaging.Sagas;

/// <summary>
/// Other names a saga's stored state may have: a state's former name after a rename, and — one release ahead of a
/// rename — its coming name. The repository reads a stored name through this map before the state machine sees it, so
/// an instance of either release loads every row the other one writes (MassTransit would throw
/// <c>UnknownStateException</c> on a name its machine does not declare). The row is written back under the loading
/// machine's name when its message commits. docs/scaling.md, "Renaming a saga state", has the rule.
/// </summary>
public sealed class SagaStateAliases<TSaga>
    where TSaga : class, ISaga
{
    readonly Dictionary<string, string> _aliases = new(StringComparer.Ordinal);

    /// <param name="aliases">Stored name → the name this release's state machine declares.</param>
    public SagaStateAliases(IEnumerable<KeyValuePair<string, string>> aliases)
    {
        foreach (var (stored, current) in aliases)
        {
            if (stored == current)
                throw new ArgumentException($"Saga state '{stored}' is given as an alias of itself.", nameof(aliases));
            _aliases.Add(stored, current);
        }
    }

    public IReadOnlyDictionary<string, string> Aliases => _aliases;

    /// <summary>The name this release declares for a stored name: its alias, or the name itself.</summary>
    public string Resolve(string stored) => _aliases.TryGetValue(stored, out var current) ? current : stored;

    /// <summary>Renames the instance's state in place when it is stored under an alias; true when it was.</summary>
    internal bool Apply(DbContext dbContext, TSaga instance)
    {
        if (_aliases.Count == 0 || StateProperty(dbContext) is not { } property || property.GetValue(instance) is not string stored
            || !_aliases.TryGetValue(stored, out var current))
            return false;

        property.SetValue(instance, current);
        return true;
    }

    PropertyInfo? _stateProperty;
    bool _looked;

    PropertyInfo? StateProperty(DbContext dbContext)
    {
        if (!_looked)
        {
            // The column MapSagaState maps; a saga without it has no state name to translate.
            _stateProperty = dbContext.Model.FindEntityType(typeof(TSaga))?.FindProperty("CurrentState")?.PropertyInfo;
            _looked = true;
        }

        return _stateProperty;
    }
}

public static class SagaStateAliasExtensions
{
    /// <summary>
    /// Declares other stored names of <typeparamref name="TSaga"/>'s states (stored name → declared name), read by the
    /// EF saga repository when it loads an instance.
    /// </summary>
    public static IServiceCollection AddSagaStateAliases<TSaga>(this IServiceCollection services,
        IEnumerable<KeyValuePair<string, string>> aliases)
        where TSaga : class, ISaga =>
        services.AddSingleton(new SagaStateAliases<TSaga>(aliases));
}
