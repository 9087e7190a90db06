using Microsoft.Extensions.Options;
using Shop.Operations.Broker;
using Shop.Operations.DeadLetters;

namespace Shop.Console.Broker;

/// <summary>
/// The console's side of shop-admin's lossless operations (<see cref="DeadLetterOperations"/>, the same code): it reads
/// a selection's messages only when an operator opens a confirmation page (a get-and-requeue, never on a timer), and
/// re-drives with no message named, so a message whose signature does not verify is never forced back: only what its
/// verified original signer may send goes back, re-signed by the operator key in that signer's name.
/// </summary>
public sealed class DeadLetterActions(IOptions<ConsoleOptions> options, IConfiguration configuration, TimeProvider clock)
{
    readonly Lazy<DeadLetterOperations> _operations = new(() => Create(options.Value, configuration, clock));

    /// <summary>What a re-drive of the selection would do now (each message's check), without changing anything.</summary>
    public Task<DeadLetterOutcome> PreviewAsync(DeadLetterFilter filter, string action, CancellationToken cancellationToken) =>
        action == Audit.OperatorActionKinds.Redrive
            ? _operations.Value.RedriveAsync(filter, dryRun: true, named: [], cancellationToken)
            : _operations.Value.ListAsync(filter, cancellationToken);

    /// <summary>Re-drives exactly these messages (those still in an error queue); a refused one stays where it is.</summary>
    public Task<DeadLetterOutcome> RedriveAsync(IReadOnlyList<string> messageIds, CancellationToken cancellationToken) =>
        _operations.Value.RedriveAsync(new DeadLetterFilter(MessageIds: messageIds), dryRun: false, named: [], cancellationToken);

    /// <summary>Removes exactly these messages for good (the operator confirmed them on the page).</summary>
    public Task<DeadLetterOutcome> DiscardAsync(IReadOnlyList<string> messageIds, CancellationToken cancellationToken) =>
        _operations.Value.DiscardAsync(new DeadLetterFilter(MessageIds: messageIds), _ => true, cancellationToken);

    static DeadLetterOperations Create(ConsoleOptions options, IConfiguration configuration, TimeProvider clock)
    {
        var amqp = new UriBuilder("amqp", configuration["RabbitMq:Host"] ?? "127.0.0.1", configuration.GetValue<int?>("RabbitMq:Port") ?? 5672)
        {
            UserName = Uri.EscapeDataString(configuration["RabbitMq:Username"] ?? ""),
            Password = Uri.EscapeDataString(configuration["RabbitMq:Password"] ?? ""),
        }.Uri;
        var settings = new BrokerSettings(amqp, configuration["RabbitMq:VirtualHost"] ?? "/", options.RabbitMqManagement, "shop-console");
        // Configured as shop-admin's: the setting, else SHOP_OPERATOR_KEY. None: re-driven messages keep their original
        // signature (refused once older than the services' replay window), as with shop-admin.
        var operatorKey = OperatorKey.Resolve(string.IsNullOrWhiteSpace(options.OperatorKey) ? null : options.OperatorKey, options.OperatorKeyId);
        return new DeadLetterOperations(settings, clock, operatorKey, PublicKeys.Resolve(options.PublicKeys));
    }
}
