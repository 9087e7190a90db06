using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Shop.Contracts;
using Shop.Payments.Apis;
using Shop.Payments.Domain;
using Shop.ServiceDefaults;
using Shop.Testing;

namespace Shop.Payments.Tests;

/// <summary>
/// One Payments service (own database and virtual host), the payment-provider simulator it calls over HTTP (own database
/// too) and one test bus, shared by every test; tests use their own order ids.
/// </summary>
public sealed class PaymentsFixture() : DatabaseAndVirtualHost("payments_test"), IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = CreateJsonOptions();

    public InProcessService Service { get; private set; } = null!;
    public TestPaymentProvider Provider { get; private set; } = null!;
    public TestBus Bus { get; private set; } = null!;

    /// <summary>Every message the service consumed (duplicates too), by message id.</summary>
    public ConsumedMessages Consumed { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Provider = Own(await TestPaymentProvider.StartAsync());
        Service = Own(await InProcessService.StartAsync("Payments", Database, VirtualHost, PaymentsApp.Build, Provider.PaymentsSettings));
        Service.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
        Bus = Own(await TestBus.StartAsync(VirtualHost, (bus, endpoint) =>
        {
            bus.Observe<PaymentCaptured>(endpoint);
            bus.Observe<PaymentDeclined>(endpoint);
            bus.Observe<PaymentRefunded>(endpoint);
        }));
    }

    public Task<Guid> Charge(Guid orderId, decimal amount, string token = "tok_visa", Guid? messageId = null) =>
        Bus.Send("charge-payment", new ChargePayment(orderId, "customer-1", amount, token), messageId);

    public Task<Guid> Refund(Guid orderId, Guid? messageId = null) =>
        Bus.Send("refund-payment", new RefundPayment(orderId, CancellationReason.ShippingFailed), messageId);

    public async Task<PaymentView[]> Payments(Guid orderId) =>
        (await Service.Http.GetFromJsonAsync<PaymentView[]>($"/payments?orderId={orderId}", Json))!;

    public async Task<int> Count(Guid orderId, PaymentRecordKind kind) =>
        (await Payments(orderId)).Count(x => x.Kind == kind);

    /// <summary>The ledger's records of the order straight from the database, the payment token included.</summary>
    public async Task<string?> StoredToken(Guid orderId) =>
        await Database.ScalarAsync<string>(
            $"""SELECT "PaymentToken" FROM "Payments" WHERE "OrderId" = '{orderId}' AND "Kind" = 'ChargeRequested'""");

    /// <summary>Captured minus refunded for the order, from the database.</summary>
    public async Task<decimal> Net(Guid orderId) =>
        await Database.ScalarAsync<decimal>(
            $"""SELECT COALESCE(SUM(CASE "Kind" WHEN 'Capture' THEN "Amount" WHEN 'Refund' THEN -"Amount" ELSE 0 END), 0) FROM "Payments" WHERE "OrderId" = '{orderId}'""");

    static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceDefaultsExtensions.ConfigureJson(options);
        return options;
    }
}

[CollectionDefinition(Name)]
public sealed class PaymentsCollection : ICollectionFixture<PaymentsFixture>
{
    public const string Name = "Payments";
}
