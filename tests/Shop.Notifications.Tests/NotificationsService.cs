using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Notifications.Data;
using Shop.Notifications.Domain;
using Shop.Notifications.Gateways;
using Shop.ServiceDefaults;
using Shop.Testing;

namespace Shop.Notifications.Tests;

/// <summary>
/// The Notifications service running in-process on a private database and virtual host with a recording sender, and
/// a test bus on the same vhost that publishes the order events. Shared by every test; each test uses its own OrderId.
/// </summary>
public sealed class NotificationsService() : DatabaseAndVirtualHost("shop_notifications_test"), IAsyncLifetime
{
    InProcessService? _service;

    public TestBus Bus { get; private set; } = null!;
    public RecordingNotificationSender Sender { get; } = new();
    public ConsumedMessages Consumed { get; } = new();
    public HttpClient Http => _service!.Http;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Bus = Own(await TestBus.StartAsync(VirtualHost));
        // Before the service's own (a TryAdd): the recording sender takes its place.
        _service = Own(await InProcessService.StartAsync("Notifications", Database, VirtualHost, NotificationsApp.Build,
            configureBuilder: builder => builder.Services.AddSingleton<INotificationSender>(Sender)));
        _service.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
    }

    public static OrderCompleted Completed(Guid orderId) =>
        new(orderId, "customer-1", "ada@example.com", 42.50m, "SHP-ABCDE12345", DateTimeOffset.UtcNow);

    public static OrderCancelled Cancelled(Guid orderId, string reason = CancellationReason.PaymentDeclined) =>
        new(orderId, "customer-1", "ada@example.com", reason, DateTimeOffset.UtcNow);

    /// <summary>Publishes the event and waits until the service has consumed it (or dropped it as a duplicate).</summary>
    public async Task PublishAndWait<T>(T message, Guid? messageId = null)
        where T : class
    {
        var id = messageId ?? Guid.NewGuid();
        var before = Consumed.Count(id);
        await Bus.Publish(message, id);
        await Consumed.WaitFor(id, before + 1);
    }

    /// <summary>Failed deliveries of this order's events waiting in the outbox for a durable redelivery.</summary>
    public async Task<long> RedeliveriesPending(Guid orderId) =>
        await Database.ScalarAsync<long>($"SELECT count(*) FROM \"OutboxMessage\" WHERE \"Body\" LIKE '%{orderId}%'");

    public async Task<List<Notification>> Notifications(Guid orderId)
    {
        await using var scope = _service!.Services.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        return await dbContext.Notifications.AsNoTracking().Where(x => x.OrderId == orderId).ToListAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class NotificationsCollection : ICollectionFixture<NotificationsService>
{
    public const string Name = "Notifications";
}
