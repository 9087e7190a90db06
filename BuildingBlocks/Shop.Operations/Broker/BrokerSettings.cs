using System.Net.Http.Headers;
using System.Text;
using RabbitMQ.Client;

namespace Shop.Operations.Broker;

/// <summary>
/// Where the broker is: an AMQP URI (credentials and, in its path, the virtual host), an optional virtual host that
/// overrides the URI's, and the management API (same credentials) for listing queues.
/// </summary>
/// <param name="ClientName">How the connection is named in the broker's UI (shop-admin, the console).</param>
public sealed record BrokerSettings(Uri Amqp, string? VirtualHost, Uri Management, string ClientName = "shop-admin")
{
    public const string AmqpVariable = "SHOP_RABBITMQ_URL";
    public const string VirtualHostVariable = "SHOP_RABBITMQ_VHOST";
    public const string ManagementVariable = "SHOP_RABBITMQ_MANAGEMENT_URL";

    /// <summary>Local development defaults (docker compose and scripts/infra-up.sh), never production credentials.</summary>
    public const string DefaultAmqp = "amqp://shop:shop@127.0.0.1:5672/";
    public const string DefaultManagement = "http://127.0.0.1:15672/";

    /// <summary>Each value from its option, else its environment variable, else the local default.</summary>
    public static BrokerSettings Resolve(string? amqp, string? virtualHost, string? management) => new(
        new Uri(amqp ?? Environment.GetEnvironmentVariable(AmqpVariable) ?? DefaultAmqp),
        virtualHost ?? Environment.GetEnvironmentVariable(VirtualHostVariable),
        new Uri(management ?? Environment.GetEnvironmentVariable(ManagementVariable) ?? DefaultManagement));

    public ConnectionFactory CreateConnectionFactory()
    {
        var factory = new ConnectionFactory { Uri = Amqp, ClientProvidedName = ClientName, AutomaticRecoveryEnabled = false };
        if (VirtualHost is not null)
            factory.VirtualHost = VirtualHost;
        return factory;
    }

    public string EffectiveVirtualHost => CreateConnectionFactory().VirtualHost;

    public HttpClient CreateManagementClient()
    {
        var factory = CreateConnectionFactory();
        var client = new HttpClient { BaseAddress = Management, Timeout = TimeSpan.FromSeconds(30) };
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{factory.UserName}:{factory.Password}"));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        return client;
    }
}
