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

    /// <summary>The service's log (Debug and up), as written so far.</summary>
    public string LogFile { get; } = Path.Combine(Directory.CreateTempSubdirectory("shop-payments-log-").FullName, "payments.log");

    public async Task<string> LogText()
    {
        await using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return await new StreamReader(stream).ReadToEndAsync();
    }

    /// <summary>Every message the service consumed (duplicates too), by message id.</summary>
    public ConsumedMessages Consumed { get; } = new();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Provider = Own(await TestPaymentProvider.StartAsync());
        var settings = Provider.PaymentsSettings;
        // Everything the service logs, at Debug, in a file the tests read: a payment token must never be in it.
        settings["Serilog:MinimumLevel:Default"] = "Debug";
        settings["Serilog:Using:0"] = "Serilog.Sinks.File";
        settings["Serilog:WriteTo:0:Name"] = "File";
        settings["Serilog:WriteTo:0:Args:path"] = LogFile;
        Service = Own(await InProcessService.StartAsync("Payments", Database, VirtualHost, PaymentsApp.Build, settings));
        Service.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
        Bus = Own(await TestBus.StartAsync(VirtualHost, (bus, endpoint) =>
        {
            bus.Observe<PaymentCaptured>(endpoint);
            bus.Observe<PaymentDeclined>(endpoint);
            bus.Observe<PaymentRefunded>(endpoint);
        }));
    }

    /// <summary>Sends ChargePayment as Orders does: the token sealed for Payments, bound to the order.</summary>
    public Task<Guid> Charge(Guid orderId, decimal amount, string token = "tok_visa", Guid? messageId = null) =>
        Bus.Send("charge-payment", new ChargePayment(orderId, "customer-1", amount, TestPaymentTokenKeys.Seal(token, orderId)), messageId);

    /// <summary>The provider's charge id the ledger recorded with the capture (the events carry the shop's payment id).</summary>
    public async Task<Guid?> CapturedChargeId(Guid orderId) =>
        (await Payments(orderId)).SingleOrDefault(x => x.Kind == PaymentRecordKind.Capture)?.PaymentId;

    /// <summary>The random part of the order's idempotency keys, as the intent stored it.</summary>
    public async Task<string?> KeyNonce(Guid orderId) =>
        await Database.ScalarAsync<string>(
            $"""SELECT "KeyNonce" FROM "Payments" WHERE "OrderId" = '{orderId}' AND "Kind" = 'ChargeRequested'""");

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
