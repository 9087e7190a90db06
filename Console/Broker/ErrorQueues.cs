using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;

namespace Shop.Console.Broker;

/// <summary>
/// Queue depths from RabbitMQ's management API (<c>GET /api/queues/{vhost}</c>): counts only. Reading the messages
/// themselves would mean a get-and-requeue, which sets the redelivered flag and, on quorum queues, counts toward the
/// delivery limit: never done on a timer.
/// </summary>
public sealed class ErrorQueues(HttpClient http, IOptions<ConsoleOptions> options, IConfiguration configuration, ILogger<ErrorQueues> logger)
{
    public async Task<ErrorQueueReport> ReadAsync(CancellationToken cancellationToken)
    {
        var virtualHost = configuration["RabbitMq:VirtualHost"] ?? "/";
        var request = new HttpRequestMessage(HttpMethod.Get,
            new Uri(options.Value.RabbitMqManagement, $"api/queues/{Uri.EscapeDataString(virtualHost)}?columns=name,messages"));
        var credentials = $"{configuration["RabbitMq:Username"]}:{configuration["RabbitMq:Password"]}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
                return new ErrorQueueReport([], $"the management API answered {(int)response.StatusCode}");
            var queues = await response.Content.ReadFromJsonAsync<List<QueueInfo>>(cancellationToken) ?? [];
            return new ErrorQueueReport(
                [.. queues.Where(x => x.Name.EndsWith("_error", StringComparison.Ordinal)).OrderBy(x => x.Name, StringComparer.Ordinal)
                    .Select(x => new ErrorQueue(x.Name, x.Messages ?? 0))],
                null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(exception, "Reading the queue depths from RabbitMQ's management API failed");
            return new ErrorQueueReport([], "the management API is unreachable");
        }
    }

    sealed record QueueInfo([property: JsonPropertyName("name")] string Name, [property: JsonPropertyName("messages")] int? Messages);
}

public sealed record ErrorQueue(string Name, int Messages);

/// <param name="Problem">Why there is no list (the management API unreachable or refusing).</param>
public sealed record ErrorQueueReport(IReadOnlyList<ErrorQueue> Queues, string? Problem);
