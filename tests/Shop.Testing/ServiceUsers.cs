using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Npgsql;

namespace Shop.Testing;

/// <summary>
/// The per-service broker users and database roles that <c>scripts/infra-up.sh</c> creates (shop_orders and its migration
/// identity shop_orders_migrator, ...), put to
/// work on a test's own virtual host and database with exactly the rights the scripts give them: the patterns of
/// <c>scripts/broker-permissions.tsv</c> and the statements of <c>scripts/service-database.sql</c>, read from the
/// repository, never copied. Passwords are the local development defaults (<c>&lt;user&gt;-local-dev</c>) unless
/// SHOP_TEST_PASSWORD_&lt;USER&gt; says otherwise.
/// </summary>
public static class ServiceUsers
{
    static readonly HttpClient Management = CreateManagementClient();

    /// <summary>A service's broker user and database role: Orders → shop_orders.</summary>
    public static string UserOf(string service) => $"shop_{service.ToLowerInvariant()}";

    public static string PasswordOf(string user) =>
        Environment.GetEnvironmentVariable($"SHOP_TEST_PASSWORD_{user.ToUpperInvariant()}") ?? $"{user}-local-dev";

    /// <summary>Each broker user's configure/write/read patterns, as the scripts grant them.</summary>
    public static IReadOnlyList<BrokerPermission> BrokerPermissions =>
        File.ReadAllLines(Path.Combine(RepositoryRoot, "scripts", "broker-permissions.tsv"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split('\t'))
            .Select(x => new BrokerPermission(x[0], x[1], x[2], x[3]))
            .ToList();

    /// <summary>Grants every service user its patterns on the virtual host (created and deleted by the test as the operator).</summary>
    public static async Task GrantAsync(TestVirtualHost virtualHost)
    {
        foreach (var permission in BrokerPermissions)
        {
            var body = JsonContent.Create(new { configure = permission.Configure, write = permission.Write, read = permission.Read });
            var granted = await Management.PutAsync(
                $"api/permissions/{Uri.EscapeDataString(virtualHost.Name)}/{Uri.EscapeDataString(permission.User)}", body);
            granted.EnsureSuccessStatusCode();
        }
    }

    /// <summary>A service's migration identity: Orders → shop_orders_migrator (<c>scripts/access.sh</c>).</summary>
    public static string MigratorOf(string service) => $"{UserOf(service)}_migrator";

    /// <summary>
    /// Lays the test database out for the service's roles as <c>scripts/service-database.sql</c> does (owned by its
    /// migration identity, rows only for its runtime role, closed to everyone else) and returns a connection string that
    /// logs in as the runtime role.
    /// </summary>
    public static async Task<string> HandOverAsync(TestDatabase database, string service)
    {
        await database.LayOutAsync(MigratorOf(service), UserOf(service));
        return ConnectionStringAs(database.Name, UserOf(service));
    }

    /// <summary>
    /// The settings that run a service as its own users: its database handed over to its roles (see
    /// <see cref="HandOverAsync"/>; migrated as its migration identity) and, unless it uses no broker, its broker user.
    /// Pass them to <see cref="InProcessService.StartAsync"/>; the vhost must have been granted (<see cref="GrantAsync"/>).
    /// </summary>
    public static async Task<Dictionary<string, string?>> SettingsForAsync(string service, TestDatabase database, bool usesBroker = true)
    {
        var user = UserOf(service);
        var settings = new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{service}"] = await HandOverAsync(database, service),
            [$"ConnectionStrings:{service}Migrations"] = ConnectionStringAs(database.Name, MigratorOf(service)),
        };
        if (usesBroker)
        {
            settings["RabbitMq:Username"] = user;
            settings["RabbitMq:Password"] = PasswordOf(user);
        }

        return settings;
    }

    /// <summary>A connection string to <paramref name="database"/> that logs in as <paramref name="role"/>.</summary>
    public static string ConnectionStringAs(string database, string role) =>
        new NpgsqlConnectionStringBuilder(TestServers.PostgresAdminConnectionString)
        {
            Database = database,
            Username = role,
            Password = PasswordOf(role),
            Pooling = true,
        }.ConnectionString;

    /// <summary>The folder holding Shop.sln, found by walking up from the test binaries.</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Shop.sln above {AppContext.BaseDirectory}.");
    }

    static HttpClient CreateManagementClient()
    {
        var client = new HttpClient { BaseAddress = TestServers.RabbitMqManagement, Timeout = TimeSpan.FromSeconds(30) };
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestServers.RabbitMqUser}:{TestServers.RabbitMqPassword}"));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
        return client;
    }
}

/// <summary>One line of scripts/broker-permissions.tsv.</summary>
public sealed record BrokerPermission(string User, string Configure, string Write, string Read);
