using System.Data.Common;
using System.Globalization;
using Shop.Data;
using Shop.ServiceDefaults;

namespace Shop.Audit;

/// <summary>What to audit and how strictly, from the command line.</summary>
public sealed record AuditOptions
{
    public const string DefaultServer = "Host=127.0.0.1;Port=5432;Username=shop;Password=shop";
    public const string DefaultDatabasePrefix = "shop_";
    public const string DefaultRabbitMqUrl = "http://shop:shop@127.0.0.1:15672/";
    public const string DefaultPaymentProviderUrl = "http://127.0.0.1:8085/";
    public const string DefaultPaymentProviderKeyFile = ".run/payment-provider.key";
    public const string PaymentProviderKeyVariable = "SHOP_PAYMENT_PROVIDER_KEY";
    public const int DefaultMaxErrorMessages = 100;

    public const string Usage = """
        Usage: Shop.Audit [options]
          --db-prefix <prefix>        databases <prefix>orders, <prefix>payments, ... (default shop_)
          --connection <string>       server part of every connection string (default Host=127.0.0.1;Port=5432;Username=shop;Password=shop)
          --orders|--payments|--inventory|--shipping|--notifications <connection string>
                                      one service's full connection string (overrides the two above)
          --provider <Postgres|SqlServer>  database provider (default Postgres)
          --rabbitmq-url <url>        management API (default http://shop:shop@127.0.0.1:15672)
          --rabbitmq-vhost <vhost>    virtual host whose *_error queues are listed (default /)
          --payment-provider-url <url>  the payment provider whose charges are checked (default http://127.0.0.1:8085)
          --payment-provider-key-file <file>  the provider's secret API key, first line of the file (default: $SHOP_PAYMENT_PROVIDER_KEY,
                                      else .run/payment-provider.key, which scripts/dev-keys.sh writes)
          --no-payment-provider       leave the provider's records out (only our own databases are checked)
          --since <ISO time>          only orders created at or after this time (per-SKU checks always cover everything)
          --json <file>               also write the report as JSON
          --allow-open                open orders are listed, not violations
          --allow-error-queues        messages in *_error queues are listed, not violations
          --max-error-messages <n>    messages read per error queue (default 100)
        Exit code: 0 no violation, 1 violations, 2 could not run.
        """;

    static readonly string[] Services = ["orders", "payments", "inventory", "shipping", "notifications"];

    public DatabaseProvider Provider { get; init; } = DatabaseProvider.Postgres;

    /// <summary>Connection string per service, keyed by its lower-case name ("orders", "payments", ...).</summary>
    public required IReadOnlyDictionary<string, string> ConnectionStrings { get; init; }

    public Uri RabbitMqUrl { get; init; } = new(DefaultRabbitMqUrl);
    public string RabbitMqVirtualHost { get; init; } = "/";

    /// <summary>The payment provider whose records are checked; null: left out (<c>--no-payment-provider</c>).</summary>
    public Uri? PaymentProviderUrl { get; init; } = new(DefaultPaymentProviderUrl);

    /// <summary>The provider's secret API key (<c>sk_…</c>); null when none was found (the provider then answers 401).</summary>
    public string? PaymentProviderKey { get; init; }
    public DateTimeOffset? Since { get; init; }
    public string? JsonPath { get; init; }
    public bool AllowOpen { get; init; }
    public bool AllowErrorQueues { get; init; }
    public int MaxErrorMessages { get; init; } = DefaultMaxErrorMessages;
    public bool ShowUsage { get; init; }

    public string Orders => ConnectionStrings["orders"];
    public string Payments => ConnectionStrings["payments"];
    public string Inventory => ConnectionStrings["inventory"];
    public string Shipping => ConnectionStrings["shipping"];
    public string Notifications => ConnectionStrings["notifications"];

    /// <exception cref="UsageException">An unknown option or a bad value.</exception>
    public static AuditOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            switch (name)
            {
                case "--allow-open" or "--allow-error-queues" or "--no-payment-provider" or "--help" or "-h":
                    flags.Add(name);
                    break;
                case "--db-prefix" or "--connection" or "--provider" or "--rabbitmq-url" or "--rabbitmq-vhost" or "--since" or "--json"
                    or "--max-error-messages" or "--payment-provider-url" or "--payment-provider-key-file" or "--orders" or "--payments" or "--inventory" or "--shipping" or "--notifications":
                    if (i + 1 >= args.Count)
                        throw new UsageException($"{name} needs a value.");
                    values[name] = args[++i];
                    break;
                default:
                    throw new UsageException($"Unknown option '{name}'.");
            }
        }

        var server = values.GetValueOrDefault("--connection", DefaultServer);
        var prefix = values.GetValueOrDefault("--db-prefix", DefaultDatabasePrefix);
        return new AuditOptions
        {
            Provider = values.TryGetValue("--provider", out var provider)
                ? Enum.TryParse<DatabaseProvider>(provider, ignoreCase: true, out var parsed) ? parsed : throw new UsageException($"Unknown provider '{provider}'.")
                : DatabaseProvider.Postgres,
            ConnectionStrings = Services.ToDictionary(x => x, x => values.GetValueOrDefault($"--{x}") ?? WithDatabase(server, prefix + x)),
            RabbitMqUrl = values.TryGetValue("--rabbitmq-url", out var url)
                ? Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new UsageException($"Not a URL: '{url}'.")
                : new Uri(DefaultRabbitMqUrl),
            RabbitMqVirtualHost = values.GetValueOrDefault("--rabbitmq-vhost", "/"),
            PaymentProviderUrl = flags.Contains("--no-payment-provider") ? null
                : values.TryGetValue("--payment-provider-url", out var providerUrl)
                    ? Uri.TryCreate(providerUrl, UriKind.Absolute, out var providerUri) ? providerUri : throw new UsageException($"Not a URL: '{providerUrl}'.")
                    : new Uri(DefaultPaymentProviderUrl),
            PaymentProviderKey = ProviderKey(values.GetValueOrDefault("--payment-provider-key-file")),
            Since = values.TryGetValue("--since", out var since)
                ? DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                    ? time.ToUniversalTime()
                    : throw new UsageException($"Not an ISO time: '{since}'.")
                : null,
            JsonPath = values.GetValueOrDefault("--json"),
            AllowOpen = flags.Contains("--allow-open"),
            AllowErrorQueues = flags.Contains("--allow-error-queues"),
            MaxErrorMessages = values.TryGetValue("--max-error-messages", out var max)
                ? int.TryParse(max, CultureInfo.InvariantCulture, out var count) && count > 0 ? count : throw new UsageException($"Not a positive number: '{max}'.")
                : DefaultMaxErrorMessages,
            ShowUsage = flags.Contains("--help") || flags.Contains("-h"),
        };
    }

    /// <summary>The key from the file named, else from the environment, else from the local default file (if any).</summary>
    static string? ProviderKey(string? file)
    {
        if (file is not null)
        {
            return File.Exists(file) && File.ReadLines(file).FirstOrDefault()?.Trim() is { Length: > 0 } key
                ? key
                : throw new UsageException($"No API key in '{file}'.");
        }

        return Environment.GetEnvironmentVariable(PaymentProviderKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment.Trim()
            : File.Exists(DefaultPaymentProviderKeyFile) ? File.ReadLines(DefaultPaymentProviderKeyFile).FirstOrDefault()?.Trim()
            : null;
    }

    static string WithDatabase(string server, string database)
    {
        try
        {
            return new DbConnectionStringBuilder { ConnectionString = server, ["Database"] = database }.ConnectionString;
        }
        catch (ArgumentException exception)
        {
            throw new UsageException($"Not a connection string: '{server}' ({exception.Message}).");
        }
    }
}

/// <summary>The command line cannot be understood; exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);
