using System.Net;
using System.Net.Http.Json;
using Shop.Operations.DeadLetters;

namespace Shop.Operations.Broker;

/// <summary>The one thing AMQP cannot tell: which queues a virtual host has. Asked of RabbitMQ's management API.</summary>
public static class ManagementApi
{
    /// <summary>The virtual host's error queues, by name.</summary>
    /// <exception cref="BrokerException">The API refused the request or the virtual host does not exist.</exception>
    public static async Task<IReadOnlyList<string>> ErrorQueuesAsync(BrokerSettings settings, CancellationToken cancellationToken)
    {
        using var client = settings.CreateManagementClient();
        var virtualHost = settings.EffectiveVirtualHost;
        using var response = await client.GetAsync($"api/queues/{Uri.EscapeDataString(virtualHost)}?columns=name", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new BrokerException($"Virtual host '{virtualHost}' not found at {settings.Management}.");
        if (!response.IsSuccessStatusCode)
            throw new BrokerException($"The management API at {settings.Management} answered {(int)response.StatusCode} {response.ReasonPhrase}.");

        var queues = await response.Content.ReadFromJsonAsync<List<QueueInfo>>(cancellationToken) ?? [];
        return queues.Select(x => x.Name).Where(ErrorQueues.IsErrorQueue).Order(StringComparer.Ordinal).ToList();
    }

    sealed record QueueInfo(string Name);
}

/// <summary>The broker could not be reached or refused what the tool asked.</summary>
public sealed class BrokerException(string message, Exception? innerException = null) : Exception(message, innerException);
