using System.Collections.Concurrent;
using Shop.Notifications.Domain;
using Shop.Notifications.Gateways;

namespace Shop.Notifications.Tests;

/// <summary>Stands in for the e-mail gateway: records every send, and fails the first send for chosen orders.</summary>
public sealed class RecordingNotificationSender : INotificationSender
{
    readonly ConcurrentQueue<Notification> _sent = new();
    readonly ConcurrentDictionary<Guid, int> _attempts = new();
    readonly ConcurrentDictionary<Guid, bool> _failOnce = new();

    public void FailFirstSendFor(Guid orderId) => _failOnce[orderId] = true;

    public int Attempts(Guid orderId) => _attempts.GetValueOrDefault(orderId);

    public IReadOnlyList<Notification> SentFor(Guid orderId) => _sent.Where(x => x.OrderId == orderId).ToList();

    public Task SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        _attempts.AddOrUpdate(notification.OrderId, 1, (_, attempts) => attempts + 1);
        if (_failOnce.TryRemove(notification.OrderId, out _))
            throw new InvalidOperationException("Simulated gateway outage");

        _sent.Enqueue(notification);
        return Task.CompletedTask;
    }
}
