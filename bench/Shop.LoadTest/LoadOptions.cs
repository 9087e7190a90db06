using System.Globalization;

namespace Shop.LoadTest;

/// <summary>The command line. Fixed rate (<c>--rate</c> + <c>--duration</c>) or closed loop (<c>--concurrency</c> + <c>--orders</c>).</summary>
sealed record LoadOptions
{
    public const string Usage = """
        Shop.LoadTest: submits orders to a running Shop and tracks each one until it is Completed or Cancelled.

          dotnet run -c Release --project bench/Shop.LoadTest -- [options]
          dotnet run -c Release --project bench/Shop.LoadTest -- duplicates --count 200 [--rabbitmq-vhost /]

        Load (one of):
          --rate <orders/s> --duration <time>   fixed rate, open loop (default: --rate 50 --duration 60s)
          --concurrency <n> --orders <n>        closed loop: n workers, each submits and waits for the end of its order
        Options:
          --orders-url <url>          Orders API (http://127.0.0.1:8080)
          --identity-url <url>        the Identity service the tokens come from (the Orders port + 8)
          --client-id <id>            its client for the load (shop-loadtest: operator, and customer tokens)
          --client-secret-file <file> that client's secret (.run/identity/clients/<client id>.secret, which
                                      scripts/dev-keys.sh writes; SHOP_TOKEN_CLIENT_SECRET=<secret> instead). Orders
                                      limits each of the 97 simulated customers (Orders:RateLimits): raise the limits
                                      for a load, e.g. Orders__RateLimits__Submit__PermitLimit=1000000 before local-up.sh
          --inventory-url <url>       Inventory API (the Orders port + 2): the run prices and empties SKU-NONE there,
                                      the SKU of the outofstock outcome
          --mix <outcome=weight,...>  happy=90,declined=4,outofstock=3,shipping=2,cancel=1 (also slow=tok_slow, lost=tok_timeout)
          --warmup <time>             latency counts only orders submitted after this much of the run (0s): the
                                      first minute of a fresh stack includes JIT and connection warm-up
          --warmup-orders <n>         first run this many orders (closed loop, unmeasured) and wait for their end;
                                      the measured window (throughput, commits, messages, CPU) starts after them
                                      (closed loop: 1500, fixed rate: 0). Fewer leave a fresh stack cold here:
                                      after 300, a first run still cost 1.5x the CPU per order of a second
                                      run on the same processes (docs/performance.md)
          --run-dir <dir>             where scripts/local-up.sh wrote the processes' pid files (.run, or
                                      $SHOP_RUN_DIR): their CPU, RabbitMQ's and the stack's PostgreSQL backends' is
                                      reported per order
          --settle-timeout <time>     wait this long for open orders after submitting (120s); with --faults, counted
                                      from the end of the last fault
          --stop-file <file>          fixed rate: stop submitting as soon as this file exists (or --duration passed)
          --faults <file>             fault windows written by scripts/fault-suite.sh: 5xx/connection errors inside a
                                      window that allows them are not failures
          --out <dir>                 result.json and summary.md (loadtest-results/<UTC time>)
          --no-ceiling                skip the raw RabbitMQ/PostgreSQL ceiling measurement
          --ceiling-messages <n>      messages and transactions per ceiling measurement (20000)
          --rabbitmq-management <url> management API (http://127.0.0.1:15672)
          --rabbitmq-host <host>      AMQP host (127.0.0.1)
          --rabbitmq-vhost <vhost>    the vhost the services use (/)
          --rabbitmq-user / --rabbitmq-password   (shop / shop: local development defaults)
          --postgres <conn>           admin connection (Host=127.0.0.1;Username=shop;Password=shop;Database=postgres)
          --db-prefix <prefix>        the services' databases are <prefix>orders ... (shop_)
        Time: 90, 90s, 1500ms, 2m. Exit code 1 when orders are still open after settling, or on an HTTP 5xx or
        connection failure outside an allowed fault window.
        duplicates: copies up to --count real messages as they flow (byte-identical, same message id) and publishes
        the copies again, to prove the inboxes drop them.
        """;

    public string Command { get; init; } = "load";
    public Uri OrdersUrl { get; init; } = new("http://127.0.0.1:8080");
    public Uri? IdentityUrlOption { get; init; }

    /// <summary>Identity beside Orders (port base + 8, scripts/local-up.sh) unless given.</summary>
    public Uri IdentityUrl => IdentityUrlOption ?? new UriBuilder(OrdersUrl) { Port = OrdersUrl.Port + 8 }.Uri;
    public string ClientId { get; init; } = "shop-loadtest";
    public string? ClientSecretFileOption { get; init; }
    public string ClientSecretFile => ClientSecretFileOption ?? Path.Combine(".run", "identity", "clients", $"{ClientId}.secret");
    public Uri? InventoryUrlOption { get; init; }

    /// <summary>Inventory beside Orders (the port layout of scripts/local-up.sh) unless given.</summary>
    public Uri InventoryUrl => InventoryUrlOption ?? new UriBuilder(OrdersUrl) { Port = OrdersUrl.Port + 2 }.Uri;
    public double? Rate { get; init; }
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(60);
    public int? Concurrency { get; init; }
    public int Orders { get; init; } = 5000;
    public OrderMix Mix { get; init; } = OrderMix.Default;
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public TimeSpan Warmup { get; init; } = TimeSpan.Zero;
    public int? WarmupOrdersOption { get; init; }

    /// <summary>A closed loop warms up by default; a fixed-rate run (the fault suite's) starts at once.</summary>
    public int WarmupOrders => WarmupOrdersOption ?? (ClosedLoop ? 1500 : 0);
    public string RunDirectory { get; init; } = Environment.GetEnvironmentVariable("SHOP_RUN_DIR") is { Length: > 0 } dir ? dir : ".run";
    public string? FaultsFile { get; init; }
    public string? StopFile { get; init; }
    public string OutDirectory { get; init; } = Path.Combine("loadtest-results", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
    public bool Ceiling { get; init; } = true;
    public int CeilingMessages { get; init; } = 20_000;
    public Uri RabbitManagement { get; init; } = new("http://127.0.0.1:15672");
    public string RabbitHost { get; init; } = "127.0.0.1";
    public string RabbitVirtualHost { get; init; } = "/";
    public string RabbitUser { get; init; } = "shop";
    public string RabbitPassword { get; init; } = "shop";
    public string PostgresAdmin { get; init; } = "Host=127.0.0.1;Username=shop;Password=shop;Database=postgres";
    public string DatabasePrefix { get; init; } = "shop_";
    public int DuplicateCount { get; init; } = 200;

    public bool ClosedLoop => Concurrency is not null;

    public static LoadOptions Parse(string[] args)
    {
        var options = new LoadOptions();
        var rest = args.AsSpan();
        if (rest is ["duplicates", ..])
        {
            options = options with { Command = "duplicates" };
            rest = rest[1..];
        }

        for (var i = 0; i < rest.Length; i++)
        {
            var name = rest[i];
            if (name is "--help" or "-h")
                return options with { Command = "help" };
            if (name == "--no-ceiling")
            {
                options = options with { Ceiling = false };
                continue;
            }

            if (i + 1 >= rest.Length)
                throw new ArgumentException($"{name} needs a value.");
            var value = rest[++i];
            options = name switch
            {
                "--orders-url" => options with { OrdersUrl = new Uri(value) },
                "--identity-url" => options with { IdentityUrlOption = new Uri(value) },
                "--client-id" => options with { ClientId = value },
                "--client-secret-file" => options with { ClientSecretFileOption = value },
                "--inventory-url" => options with { InventoryUrlOption = new Uri(value) },
                "--rate" => options with { Rate = double.Parse(value, CultureInfo.InvariantCulture) },
                "--duration" => options with { Duration = ParseTime(value) },
                "--concurrency" => options with { Concurrency = int.Parse(value, CultureInfo.InvariantCulture) },
                "--orders" => options with { Orders = int.Parse(value, CultureInfo.InvariantCulture) },
                "--mix" => options with { Mix = OrderMix.Parse(value) },
                "--settle-timeout" => options with { SettleTimeout = ParseTime(value) },
                "--warmup" => options with { Warmup = ParseTime(value) },
                "--warmup-orders" => options with { WarmupOrdersOption = int.Parse(value, CultureInfo.InvariantCulture) },
                "--run-dir" => options with { RunDirectory = value },
                "--faults" => options with { FaultsFile = value },
                "--stop-file" => options with { StopFile = value },
                "--out" => options with { OutDirectory = value },
                "--ceiling-messages" => options with { CeilingMessages = int.Parse(value, CultureInfo.InvariantCulture) },
                "--rabbitmq-management" => options with { RabbitManagement = new Uri(value) },
                "--rabbitmq-host" => options with { RabbitHost = value },
                "--rabbitmq-vhost" => options with { RabbitVirtualHost = value },
                "--rabbitmq-user" => options with { RabbitUser = value },
                "--rabbitmq-password" => options with { RabbitPassword = value },
                "--postgres" => options with { PostgresAdmin = value },
                "--db-prefix" => options with { DatabasePrefix = value },
                "--count" => options with { DuplicateCount = int.Parse(value, CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }

        if (options.Rate is <= 0)
            throw new ArgumentException("--rate must be positive.");
        if (options.Concurrency is <= 0 || options.Orders <= 0 || options.WarmupOrdersOption is < 0)
            throw new ArgumentException("--concurrency and --orders must be positive.");
        if (options is { Rate: not null, Concurrency: not null })
            throw new ArgumentException("Choose --rate (fixed rate) or --concurrency (closed loop), not both.");
        return options.Rate is null && options.Concurrency is null ? options with { Rate = 50 } : options;
    }

    /// <summary>90 or 90s (seconds), 1500ms, 2m.</summary>
    public static TimeSpan ParseTime(string value) => value switch
    {
        _ when value.EndsWith("ms", StringComparison.Ordinal) => TimeSpan.FromMilliseconds(double.Parse(value[..^2], CultureInfo.InvariantCulture)),
        _ when value.EndsWith('s') => TimeSpan.FromSeconds(double.Parse(value[..^1], CultureInfo.InvariantCulture)),
        _ when value.EndsWith('m') => TimeSpan.FromMinutes(double.Parse(value[..^1], CultureInfo.InvariantCulture)),
        _ => TimeSpan.FromSeconds(double.Parse(value, CultureInfo.InvariantCulture)),
    };
}
