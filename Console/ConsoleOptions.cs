namespace Shop.Console;

/// <summary>The console's settings (section <c>Console</c>), validated at start-up.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "Console";

    /// <summary>The console's client at the OpenID Connect provider (public: authorization code + PKCE).</summary>
    public string ClientId { get; set; } = "shop-console";

    /// <summary>An order this long in a non-terminal state is listed under Attention as stuck.</summary>
    public TimeSpan StuckAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the overview refreshes itself (unless paused).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>RabbitMQ's management API (queue depths only; the console never gets a message from an <c>_error</c> queue).</summary>
    public Uri RabbitMqManagement { get; set; } = new("http://127.0.0.1:15672/");

    /// <summary>
    /// The services whose outbox backlog the overview shows: each one with a connection string
    /// (<c>ConnectionStrings:{name}</c>, a read-only role) is read; the others are listed as not configured.
    /// </summary>
    public List<string> Services { get; set; } = ["Orders", "Payments", "Inventory", "Shipping", "Notifications", "Analytics"];
}
