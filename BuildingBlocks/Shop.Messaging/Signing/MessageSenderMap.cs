using MassTransit;

namespace Shop.Messaging.Signing;

/// <summary>
/// Which service may send each message type, by the type's message URN (what a received envelope names). A
/// <see cref="Fault{T}"/> of a known type may come from any known service: MassTransit publishes it from whichever
/// consumer of <c>T</c> failed.
/// </summary>
public sealed class MessageSenderMap
{
    /// <summary>Stands for "any service with a key in the ring" (faults).</summary>
    public const string AnyService = "*";

    readonly Dictionary<string, string> _senderByUrn = new(StringComparer.Ordinal);

    public MessageSenderMap(IReadOnlyDictionary<Type, string> senders)
    {
        foreach (var (type, sender) in senders)
        {
            _senderByUrn[MessageUrn.ForTypeString(type)] = sender;
            _senderByUrn[MessageUrn.ForTypeString(typeof(Fault<>).MakeGenericType(type))] = AnyService;
        }
    }

    public static MessageSenderMap Empty { get; } = new(new Dictionary<Type, string>());

    /// <summary>The sender allowed for a message URN, or null when the map does not know it.</summary>
    public string? SenderOf(string messageUrn) => _senderByUrn.GetValueOrDefault(messageUrn);
}
