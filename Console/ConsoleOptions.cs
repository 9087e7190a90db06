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
    /// The operator's message-signing key (a PEM file <c>&lt;key id&gt;.private.pem</c>, PEM text or base64 PKCS#8): a
    /// re-driven message is re-signed with it in the name of its verified original signer, as shop-admin does. Unset:
    /// re-driven messages keep their original signature.
    /// </summary>
    public string? OperatorKey { get; set; }

    /// <summary>The operator key's id (default: from its file name).</summary>
    public string? OperatorKeyId { get; set; }

    /// <summary>The services' public keys (<c>&lt;signer&gt;/&lt;key id&gt;.public.pem</c>) that verify what is re-driven; unset: <c>SHOP_KEYS_DIR</c>, else <c>.run/keys</c>.</summary>
    public string? PublicKeys { get; set; }

    /// <summary>Orders' API, where an operator action is written into each affected order's timeline.</summary>
    public Uri? OrdersApi { get; set; }

    /// <summary>The payment provider's API, read for an order's charges as the provider holds them (unset: not shown).</summary>
    public Uri? PaymentProvider { get; set; }

    /// <summary>
    /// The console's restricted key at the provider (<c>rk_…</c>: it may read charges, never move money), or the file whose
    /// first line holds it (<see cref="PaymentProviderKeyFile"/>, read once at start-up into this). Never the shop's secret key.
    /// </summary>
    public string? PaymentProviderKey { get; set; }

    public string? PaymentProviderKeyFile { get; set; }

    /// <summary>
    /// The services whose outbox backlog the overview shows: each one with a connection string
    /// (<c>ConnectionStrings:{name}</c>, a read-only role) is read; the others are listed as not configured.
    /// </summary>
    public List<string> Services { get; set; } = ["Orders", "Payments", "Inventory", "Shipping", "Notifications", "Analytics"];
}
