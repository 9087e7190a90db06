using System.CommandLine;
using System.CommandLine.Parsing;
using RabbitMQ.Client.Exceptions;
using Shop.Admin.DeadLetters;
using Shop.Admin.Orders;
using Shop.Operations.Broker;
using Shop.Operations.DeadLetters;

namespace Shop.Admin.Cli;

/// <summary>The <c>shop-admin</c> command line: <c>errors list | show | redrive | discard</c>, <c>orders stuck</c>.</summary>
public static class AdminCommandLine
{
    public static Task<int> InvokeAsync(string[] args, AdminConsole console, TimeProvider? clock = null) =>
        Create(console, clock ?? TimeProvider.System)
            .Parse(args)
            .InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error });

    static RootCommand Create(AdminConsole console, TimeProvider clock)
    {
        var amqp = new Option<string>("--rabbitmq")
        {
            Description = $"AMQP URI with credentials and virtual host [env {BrokerSettings.AmqpVariable}; default {BrokerSettings.DefaultAmqp} with the dev credentials]",
            Recursive = true,
        };
        var virtualHost = new Option<string>("--vhost")
        {
            Description = $"Virtual host, overriding the URI's [env {BrokerSettings.VirtualHostVariable}]",
            Recursive = true,
        };
        var management = new Option<string>("--management")
        {
            Description = $"RabbitMQ management API, same credentials [env {BrokerSettings.ManagementVariable}; default {BrokerSettings.DefaultManagement}]",
            Recursive = true,
        };
        var operatorKey = new Option<string>("--operator-key")
        {
            Description = $"Re-sign re-driven messages with this operator key: a PEM file (<key id>.private.pem), PEM text or base64 PKCS#8 [env {OperatorKey.KeyVariable}]",
        };
        var operatorKeyId = new Option<string>("--operator-key-id")
        {
            Description = $"The operator key's id [env {OperatorKey.KeyIdVariable}; default from the file name]",
        };
        var keys = new Option<string>("--keys")
        {
            Description = $"Directory of the services' public keys, <signer>/<key id>.public.pem, to re-verify what is re-driven [env {PublicKeys.DirectoryVariable}; default {PublicKeys.DefaultDirectory} when present]",
        };
        var namedIds = new Option<string[]>("--message-id")
        {
            Description = "Re-drive this message even though it failed verification (unsigned, unknown-key, forged, wrong-sender): named one by one, after reading it with errors show",
            Arity = ArgumentArity.OneOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Write JSON (for scripts) instead of tables", Recursive = true };

        var filters = new FilterOptions();
        var messageId = new Argument<string>("message-id") { Description = "The message's MessageId, as listed" };
        var optionalMessageId = new Argument<string?>("message-id") { Description = "Only this message (its MessageId, as listed)", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Every message of every error queue (or of the filtered ones)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show what would be moved, move nothing" };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation" };

        DeadLetterCommands Commands(ParseResult result, bool signs = false) => new(
            BrokerSettings.Resolve(result.GetValue(amqp), result.GetValue(virtualHost), result.GetValue(management)),
            console, result.GetValue(json), clock, signs ? OperatorKey.Resolve(result.GetValue(operatorKey), result.GetValue(operatorKeyId)) : null,
            signs ? PublicKeys.Resolve(result.GetValue(keys)) : null);

        // The positional id and every --message-id: the messages named one by one.
        string[] Named(ParseResult result) =>
            [.. result.GetValue(optionalMessageId) is { } id ? [id] : Array.Empty<string>(), .. result.GetValue(namedIds) ?? []];

        var list = new Command("list", "List the messages in every *_error queue: id, queue, type, order id, age, fault reason");
        filters.AddTo(list);
        list.SetAction((result, cancellationToken) => Guarded(console,
            () => Commands(result).ListAsync(filters.Read(result), cancellationToken)));

        var show = new Command("show", "Show one message in full: fault, headers, body");
        show.Arguments.Add(messageId);
        show.SetAction((result, cancellationToken) => Guarded(console,
            () => Commands(result).ShowAsync(result.GetValue(messageId)!, cancellationToken)));

        var redrive = new Command("redrive",
            "Move messages back to the queue they failed on (publisher-confirmed, then removed from _error; same MessageId, fault headers dropped, "
            + "re-signed with the operator key in the name of their original signer). Only messages whose original signature verifies (--keys) and "
            + "whose signer may send their types go back; the others stay unless named with --message-id");
        redrive.Arguments.Add(optionalMessageId);
        filters.AddTo(redrive);
        redrive.Options.Add(namedIds);
        redrive.Options.Add(all);
        redrive.Options.Add(dryRun);
        redrive.Options.Add(operatorKey);
        redrive.Options.Add(operatorKeyId);
        redrive.Options.Add(keys);
        redrive.Validators.Add(result => RequireSelection(result, optionalMessageId, filters, all, namedIds));
        redrive.SetAction((result, cancellationToken) =>
        {
            var named = Named(result);
            var filter = filters.Read(result) with { MessageIds = named.Length > 0 ? named : null };
            return Guarded(console, () => Commands(result, signs: true).RedriveAsync(filter, result.GetValue(dryRun), named, cancellationToken));
        });

        var discard = new Command("discard", "Remove messages from their error queue for good, after confirmation");
        discard.Arguments.Add(optionalMessageId);
        filters.AddTo(discard);
        discard.Options.Add(all);
        discard.Options.Add(yes);
        discard.Validators.Add(result => RequireSelection(result, optionalMessageId, filters, all));
        discard.SetAction((result, cancellationToken) => Guarded(console,
            () => Commands(result).DiscardAsync(filters.Read(result, result.GetValue(optionalMessageId)), result.GetValue(yes), cancellationToken)));

        var errors = new Command("errors", "Dead letters: messages MassTransit moved to *_error queues after their last retry");
        errors.Subcommands.Add(list);
        errors.Subcommands.Add(show);
        errors.Subcommands.Add(redrive);
        errors.Subcommands.Add(discard);

        var ordersDb = new Option<string>("--orders-db")
        {
            Description = $"Npgsql connection string of the Orders database, read only [env {StuckOrdersReader.ConnectionVariable}; default the local dev database shop_orders]",
        };
        var olderThan = DurationOption("--older-than",
            $"Orders in their non-terminal state at least this long (30s, 5m, 2h, 1d) [default {Durations.Format(OrderCommands.DefaultOlderThan)}, as Orders:StuckAfter]; escalated ones always");
        var stuck = new Command("stuck",
            "List the orders in a non-terminal state for too long, and those whose compensations are past their deadline: id, state, age in it, last timeline entry. Exit 0 when none, 1 when some");
        stuck.Options.Add(ordersDb);
        stuck.Options.Add(olderThan);
        stuck.SetAction((result, cancellationToken) => GuardedDatabase(console, () =>
            new OrderCommands(new StuckOrdersReader(result.GetValue(ordersDb) ?? Environment.GetEnvironmentVariable(StuckOrdersReader.ConnectionVariable)
                    ?? StuckOrdersReader.DefaultConnection), console, result.GetValue(json), clock)
                .StuckAsync(result.GetValue(olderThan) ?? OrderCommands.DefaultOlderThan, cancellationToken)));

        var orders = new Command("orders", "Orders: the ones that are stuck");
        orders.Subcommands.Add(stuck);

        var root = new RootCommand($"Shop operations tool.{Environment.NewLine}{ExitCodes.Help}");
        root.Options.Add(amqp);
        root.Options.Add(virtualHost);
        root.Options.Add(management);
        root.Options.Add(json);
        root.Subcommands.Add(errors);
        root.Subcommands.Add(orders);
        foreach (var command in Analytics.AnalyticsCommandLine.Commands(console))
            root.Subcommands.Add(command);
        return root;
    }

    static Option<TimeSpan?> DurationOption(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            if (Durations.TryParse(result.Tokens.Single().Value, out var duration))
                return duration;
            result.AddError($"'{result.Tokens.Single().Value}' is not a duration such as 30s, 5m, 2h or 1d.");
            return null;
        },
    };

    static async Task<int> GuardedDatabase(AdminConsole console, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (Exception exception) when (exception is Npgsql.NpgsqlException or TimeoutException or ArgumentException)
        {
            console.Error.WriteLine($"error: {exception.Message}");
            return ExitCodes.DatabaseUnavailable;
        }
    }

    /// <summary>A redrive or discard must say what it acts on; "everything" only with an explicit <c>--all</c>.</summary>
    static void RequireSelection(CommandResult result, Argument<string?> messageId, FilterOptions filters, Option<bool> all,
        Option<string[]>? namedIds = null)
    {
        if (result.GetValue(messageId) is null && !filters.AnyGiven(result) && !result.GetValue(all)
            && (namedIds is null || result.GetValue(namedIds) is not { Length: > 0 }))
            result.AddError("Say which messages: a message id, a filter (--queue, --type, --order, --older-than) or --all.");
    }

    static async Task<int> Guarded(AdminConsole console, Func<Task<int>> run)
    {
        try
        {
            return await run();
        }
        catch (OperatorKeyException exception)
        {
            console.Error.WriteLine($"error: {exception.Message}");
            return ExitCodes.InvalidArguments;
        }
        catch (Exception exception) when (exception is BrokerException or BrokerUnreachableException or OperationInterruptedException
                                              or AlreadyClosedException or HttpRequestException
                                              or TaskCanceledException { InnerException: TimeoutException })
        {
            console.Error.WriteLine($"error: {exception.Message}");
            return ExitCodes.BrokerUnavailable;
        }
    }

    /// <summary>The filter options shared by list, redrive and discard.</summary>
    sealed class FilterOptions
    {
        readonly Option<string> _queue = new("--queue", "-q") { Description = "Only this queue (charge-payment or charge-payment_error)" };
        readonly Option<string> _type = new("--type", "-t") { Description = "Only this message type (ChargePayment or its urn:message:… name)" };
        readonly Option<string> _order = new("--order", "-o") { Description = "Only messages about this order id" };
        readonly Option<TimeSpan?> _olderThan = DurationOption("--older-than", "Only messages that faulted at least this long ago (30s, 5m, 2h, 1d)");

        public void AddTo(Command command)
        {
            command.Options.Add(_queue);
            command.Options.Add(_type);
            command.Options.Add(_order);
            command.Options.Add(_olderThan);
        }

        public bool AnyGiven(CommandResult result) =>
            result.GetValue(_queue) is not null || result.GetValue(_type) is not null
            || result.GetValue(_order) is not null || result.GetValue(_olderThan) is not null;

        public DeadLetterFilter Read(ParseResult result, string? messageId = null) =>
            new(messageId, result.GetValue(_queue), result.GetValue(_type), result.GetValue(_order), result.GetValue(_olderThan));
    }
}
