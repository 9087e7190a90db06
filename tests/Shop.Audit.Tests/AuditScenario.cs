using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shop.Contracts;
using Shop.Inventory.Data;
using Shop.Inventory.Domain;
using Shop.Notifications.Data;
using Shop.Notifications.Domain;
using Shop.Orders.Data;
using Shop.Orders.Domain;
using Shop.Orders.Saga;
using Shop.Payments.Data;
using Shop.Payments.Domain;
using Shop.Shipping.Data;
using Shop.Shipping.Domain;
using Shop.Testing;

namespace Shop.Audit.Tests;

/// <summary>
/// A shop at rest, written straight into its five databases (each migrated by the service's own DbContext) and a
/// virtual host of its own: one SKU with <see cref="Received"/> units, and orders added in a state every service agrees
/// on. Tests then break one invariant with SQL and run the audit command on it.
/// </summary>
public sealed class AuditScenario : IAsyncDisposable
{
    public const string Sku = "SKU-001";
    public const int Received = 100;
    public const decimal UnitPrice = 10m;

    AuditScenario(TestDatabase orders, TestDatabase payments, TestDatabase inventory, TestDatabase shipping, TestDatabase notifications,
        TestVirtualHost virtualHost)
    {
        Orders = orders;
        Payments = payments;
        Inventory = inventory;
        Shipping = shipping;
        Notifications = notifications;
        VirtualHost = virtualHost;
    }

    public TestDatabase Orders { get; }
    public TestDatabase Payments { get; }
    public TestDatabase Inventory { get; }
    public TestDatabase Shipping { get; }
    public TestDatabase Notifications { get; }
    public TestVirtualHost VirtualHost { get; }

    public static async Task<AuditScenario> CreateAsync()
    {
        var databases = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => TestDatabase.CreateAsync("audit_test")));
        var scenario = new AuditScenario(databases[0], databases[1], databases[2], databases[3], databases[4],
            await TestVirtualHost.CreateAsync("audit-test"));
        await scenario.MigrateAsync();

        await using var inventory = scenario.InventoryContext();
        inventory.Stock.Add(new StockItem { Sku = Sku, OnHand = Received });
        inventory.Adjustments.Add(new StockAdjustment
        {
            Sku = Sku,
            Quantity = Received,
            OnHand = Received,
            Reason = StockAdjustment.Seed,
            At = DateTimeOffset.UtcNow,
        });
        await inventory.SaveChangesAsync();
        return scenario;
    }

    /// <summary>Reserved, paid, shipped, stock committed, customer told.</summary>
    public async Task<Guid> CompletedOrderAsync(int quantity = 2)
    {
        var (orderId, total, now) = await AcceptAsync(quantity, nameof(OrderStateMachine.Completed), reason: null);
        await AddPaymentsAsync(orderId, (PaymentRecordKind.Capture, total));

        await using (var inventory = InventoryContext())
        {
            var reservation = Reservation.Reserve(orderId, [(Sku, quantity)], now);
            reservation.Commit(now);
            inventory.Reservations.Add(reservation);
            await inventory.SaveChangesAsync();
            await inventory.Stock.Where(x => x.Sku == Sku).ExecuteUpdateAsync(x => x.SetProperty(s => s.OnHand, s => s.OnHand - quantity));
        }

        await using (var shipping = ShippingContext())
        {
            shipping.Shipments.Add(Shipment.Create(orderId, "NL", $"TRK-{orderId:N}"[..20], now));
            await shipping.SaveChangesAsync();
        }

        await NotifyAsync(Notification.For(new OrderCompleted(orderId, "customer-1", "c@example.com", total, "TRK", now), now));
        return orderId;
    }

    /// <summary>Shipping failed after the capture: refunded, stock released, shipment failed, customer told.</summary>
    public async Task<Guid> CancelledOrderAsync(int quantity = 3, bool refunded = true)
    {
        var (orderId, total, now) = await AcceptAsync(quantity, nameof(OrderStateMachine.Cancelled), CancellationReason.ShippingFailed);
        await AddPaymentsAsync(orderId, refunded
            ? [(PaymentRecordKind.Capture, total), (PaymentRecordKind.Refund, total)]
            : [(PaymentRecordKind.Capture, total)]);

        await using (var inventory = InventoryContext())
        {
            var reservation = Reservation.Reserve(orderId, [(Sku, quantity)], now);
            reservation.Release(now);
            inventory.Reservations.Add(reservation);
            await inventory.SaveChangesAsync();
        }

        await using (var shipping = ShippingContext())
        {
            shipping.Shipments.Add(Shipment.Fail(orderId, "AQ", "no carrier", now));
            await shipping.SaveChangesAsync();
        }

        await NotifyAsync(Notification.For(new OrderCancelled(orderId, "customer-1", "c@example.com", CancellationReason.ShippingFailed, now), now));
        return orderId;
    }

    /// <summary>An order whose saga is still in <paramref name="state"/>, accepted <paramref name="age"/> ago.</summary>
    public async Task<Guid> OpenOrderAsync(string state, TimeSpan age, string? reason = null, TimeSpan? inState = null)
    {
        var orderId = (await AcceptAsync(quantity: 1, state, reason, DateTimeOffset.UtcNow - age)).OrderId;
        if (inState is { } since)
        {
            await using var orders = OrdersContext();
            await orders.OrderStates.Where(x => x.CorrelationId == orderId)
                .ExecuteUpdateAsync(x => x.SetProperty(saga => saga.UpdatedAt, DateTimeOffset.UtcNow - since));
        }

        return orderId;
    }

    /// <summary>Runs the audit command on this shop; <paramref name="options"/> are added to the connection options.</summary>
    /// <remarks>The scenario is written into our own databases only: the payment provider is left out of this audit.</remarks>
    public Task<AuditRun> AuditAsync(params string[] options) =>
        AuditRun.ExecuteAsync([Orders, Payments, Inventory, Shipping, Notifications], VirtualHost, null, options);

    /// <summary>Runs the audit command on this shop and on the payment provider's records.</summary>
    public Task<AuditRun> AuditAsync(TestPaymentProvider provider, params string[] options) =>
        AuditRun.ExecuteAsync([Orders, Payments, Inventory, Shipping, Notifications], VirtualHost, provider.Address, options);

    public OrdersDbContext OrdersContext() => new OrdersPostgresDbContext(Options<OrdersPostgresDbContext>(Orders));
    public PaymentsDbContext PaymentsContext() => new PaymentsPostgresDbContext(Options<PaymentsPostgresDbContext>(Payments));
    public InventoryDbContext InventoryContext() => new InventoryPostgresDbContext(Options<InventoryPostgresDbContext>(Inventory));
    public ShippingDbContext ShippingContext() => new ShippingPostgresDbContext(Options<ShippingPostgresDbContext>(Shipping));
    public NotificationsDbContext NotificationsContext() => new NotificationsPostgresDbContext(Options<NotificationsPostgresDbContext>(Notifications));

    async Task<(Guid OrderId, decimal Total, DateTimeOffset Now)> AcceptAsync(int quantity, string state, string? reason, DateTimeOffset? createdAt = null)
    {
        var orderId = Guid.CreateVersion7();
        var now = createdAt ?? DateTimeOffset.UtcNow;
        var total = quantity * UnitPrice;
        await using var orders = OrdersContext();
        orders.Orders.Add(new Order
        {
            Id = orderId,
            CustomerId = "customer-1",
            Email = "c@example.com",
            Total = total,
            Lines = [new OrderItem { Sku = Sku, Quantity = quantity, UnitPrice = UnitPrice }],
            ShippingLine1 = "1 Main St",
            ShippingCity = "Utrecht",
            ShippingPostalCode = "3511",
            ShippingCountry = "NL",
            CreatedAt = now,
            RequestHash = new string('0', 64),
        });
        orders.OrderStates.Add(new OrderState
        {
            CorrelationId = orderId,
            CurrentState = state,
            CustomerId = "customer-1",
            Email = "c@example.com",
            Total = total,
            Lines = [new OrderLine(Sku, quantity, UnitPrice)],
            CancellationReason = reason,
            CreatedAt = now,
            UpdatedAt = now,
        });
        await orders.SaveChangesAsync();
        return (orderId, total, now);
    }

    async Task AddPaymentsAsync(Guid orderId, params (PaymentRecordKind Kind, decimal Amount)[] records)
    {
        await using var payments = PaymentsContext();
        payments.Payments.AddRange(records.Select((x, i) => new PaymentRecord
        {
            OrderId = orderId,
            Sequence = i + 1,
            Kind = x.Kind,
            PaymentId = Guid.NewGuid(),
            Amount = x.Amount,
            At = DateTimeOffset.UtcNow,
        }));
        await payments.SaveChangesAsync();
    }

    async Task NotifyAsync(Notification notification)
    {
        await using var notifications = NotificationsContext();
        notifications.Notifications.Add(notification);
        await notifications.SaveChangesAsync();
    }

    /// <summary>One database after the other: a test holds one connection at a time.</summary>
    async Task MigrateAsync()
    {
        DbContext[] contexts = [OrdersContext(), PaymentsContext(), InventoryContext(), ShippingContext(), NotificationsContext()];
        foreach (var context in contexts)
        {
            await using (context)
                await context.Database.MigrateAsync();
        }
    }

    static DbContextOptions<T> Options<T>(TestDatabase database)
        where T : DbContext =>
        new DbContextOptionsBuilder<T>().UseNpgsql(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString).Options;

    public async ValueTask DisposeAsync()
    {
        await VirtualHost.DisposeAsync();
        foreach (var database in new[] { Orders, Payments, Inventory, Shipping, Notifications })
            await database.DisposeAsync();
    }
}

/// <summary>One run of the audit command: its exit code, its console output, and its JSON report.</summary>
public sealed record AuditRun(int ExitCode, string Output, JsonDocument? Report)
{
    /// <summary>
    /// Runs the audit command on the Orders, Payments, Inventory, Shipping and Notifications databases, in that order, and
    /// on the payment provider at <paramref name="provider"/> (left out when null).
    /// </summary>
    public static async Task<AuditRun> ExecuteAsync(IReadOnlyList<TestDatabase> databases, TestVirtualHost virtualHost, Uri? provider,
        params string[] options)
    {
        var json = Path.Combine(Path.GetTempPath(), $"shop-audit-{Guid.NewGuid():N}.json");
        string[] services = ["--orders", "--payments", "--inventory", "--shipping", "--notifications"];
        var rabbitMqUrl = new UriBuilder(TestServers.RabbitMqManagement)
        {
            UserName = TestServers.RabbitMqUser,
            Password = TestServers.RabbitMqPassword,
        }.Uri.ToString();
        string[] providerArgs = provider is null ? ["--no-payment-provider"] : ["--payment-provider-url", provider.ToString(), "--payment-provider-key-file", TestPaymentProvider.ApiKeyFile];
        string[] args =
        [
            .. services.Zip(databases).SelectMany(x => new[] { x.First, x.Second.ConnectionString }),
            "--rabbitmq-url", rabbitMqUrl, "--rabbitmq-vhost", virtualHost.Name, "--json", json, .. providerArgs, .. options,
        ];
        var output = new StringWriter();
        var exitCode = await AuditCommand.RunAsync(args, output, CancellationToken.None);
        try
        {
            return new AuditRun(exitCode, output.ToString(), File.Exists(json) ? JsonDocument.Parse(await File.ReadAllTextAsync(json)) : null);
        }
        finally
        {
            File.Delete(json);
        }
    }

    public IReadOnlyList<Finding> Findings =>
        Report?.RootElement.GetProperty("findings").Deserialize<List<Finding>>(new JsonSerializerOptions(JsonSerializerDefaults.Web)) ?? [];

    public IReadOnlyList<Finding> Violations => Findings.Where(x => x.Violation).ToList();

    public int Checked(string check) =>
        Report!.RootElement.GetProperty("checks").EnumerateArray().Single(x => x.GetProperty("name").GetString() == check).GetProperty("checked").GetInt32();
}

/// <summary>Creates a fresh <see cref="AuditScenario"/> for each test.</summary>
public abstract class AuditTest : IAsyncLifetime
{
    protected AuditScenario Shop { get; private set; } = null!;

    public async Task InitializeAsync() => Shop = await AuditScenario.CreateAsync();

    public async Task DisposeAsync() => await Shop.DisposeAsync();
}
