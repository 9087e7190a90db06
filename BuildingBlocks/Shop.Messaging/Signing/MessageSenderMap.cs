using MassTransit;

namespace Shop.Messaging.Signing;

/// <summary>
/// Which services may send each message type, by the type's message URN (what a received envelope names), compared as
/// MassTransit compares them when it picks a consumer: ignoring case. A message is accepted only when its envelope names
/// at least one type and the signer may send <em>every</em> type it names — an unknown type, or one type of another
/// sender beside one of the signer's own, refuses the whole message. <c>Fault&lt;T&gt;</c> may be signed only by a
/// service that consumes <c>T</c> (MassTransit publishes it from whichever consumer of <c>T</c> gave up). Depends on
/// MassTransit's abstractions alone, so <c>shop-admin</c> compiles the same file to judge what it re-drives.
/// </summary>
#if SHOP_ADMIN
internal
#else
public
#endif
sealed class MessageSenderMap
{
    /// <summary>
    /// The non-generic <c>Fault</c> every <c>Fault&lt;T&gt;</c> envelope lists beside it (MassTransit names the interfaces a
    /// message implements). Accepted only with a <c>Fault&lt;T&gt;</c> the signer may send, never on its own.
    /// </summary>
    public static readonly string FaultUrn = MessageUrn.ForTypeString(typeof(Fault));

    readonly Dictionary<string, HashSet<string>> _sendersByUrn = new(StringComparer.OrdinalIgnoreCase);
    readonly HashSet<string> _faultUrns = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="senders">Each message type and the service that sends it.</param>
    /// <param name="consumers">Each message type and the services that consume it: they alone may sign its fault. None: no fault is accepted.</param>
    public MessageSenderMap(IReadOnlyDictionary<Type, string> senders, IReadOnlyDictionary<Type, IReadOnlyList<string>>? consumers = null)
    {
        foreach (var (type, sender) in senders)
            Allow(MessageUrn.ForTypeString(type), sender);

        foreach (var (type, services) in consumers ?? new Dictionary<Type, IReadOnlyList<string>>())
        {
            var faultUrn = MessageUrn.ForTypeString(typeof(Fault<>).MakeGenericType(type));
            _faultUrns.Add(faultUrn);
            foreach (var service in services)
                Allow(faultUrn, service);
        }
    }

    public static MessageSenderMap Empty { get; } = new(new Dictionary<Type, string>());

    /// <summary>The services that may send a message URN (any letter case); empty when the map does not know it.</summary>
    public IReadOnlyCollection<string> SendersOf(string messageUrn) =>
        _sendersByUrn.TryGetValue(messageUrn, out var senders) ? senders : [];

    /// <summary>
    /// Why <paramref name="signer"/> may not send an envelope naming <paramref name="messageTypes"/>; null when it may send
    /// every one of them.
    /// </summary>
    public string? Refusal(string signer, IReadOnlyList<string> messageTypes)
    {
        if (messageTypes.Count == 0)
            return "the envelope names no message type";

        var faultOfT = false;
        var bareFault = false;
        foreach (var urn in messageTypes)
        {
            if (string.Equals(urn, FaultUrn, StringComparison.OrdinalIgnoreCase))
            {
                bareFault = true;
                continue;
            }

            if (!_sendersByUrn.TryGetValue(urn, out var allowed))
                return $"'{urn}' is not a message type of the contracts";
            if (!allowed.Contains(signer))
                return $"'{urn}' may only be sent by {Names(allowed)}, not by '{signer}'";
            faultOfT |= _faultUrns.Contains(urn);
        }

        return bareFault && !faultOfT ? $"'{FaultUrn}' is accepted only beside a Fault<T> its signer may send" : null;
    }

    /// <summary>
    /// The one service that may send every type of <paramref name="messageTypes"/> (<paramref name="preferred"/> when it is
    /// one of several); null when none or no single one may.
    /// </summary>
    public string? SenderOfAll(IReadOnlyList<string> messageTypes, string? preferred = null)
    {
        var candidates = _sendersByUrn.Values.SelectMany(x => x).Distinct(StringComparer.OrdinalIgnoreCase)
            .Where(x => Refusal(x, messageTypes) is null).ToList();
        if (preferred is not null && candidates.Contains(preferred, StringComparer.OrdinalIgnoreCase))
            return preferred;
        return candidates.Count == 1 ? candidates[0] : null;
    }

    void Allow(string urn, string service)
    {
        if (!_sendersByUrn.TryGetValue(urn, out var services))
            _sendersByUrn[urn] = services = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        services.Add(service);
    }

    static string Names(IEnumerable<string> services) => string.Join(" or ", services.Order(StringComparer.Ordinal).Select(x => $"'{x}'"));
}
