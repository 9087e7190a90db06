using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Shop.Audit;

/// <summary>A message found in an error queue: what it was, which order it was about, and why it failed.</summary>
public sealed record ErrorMessage(string Queue, string MessageType, Guid? OrderId, string Reason);

/// <summary>
/// Reads the <c>*_error</c> queues of a virtual host through the RabbitMQ management API. Messages are fetched with
/// <c>ack_requeue_true</c>: each goes back to its queue, so the audit consumes nothing.
/// </summary>
public sealed class ErrorQueues(AuditOptions options) : IDisposable
{
    const string UrnPrefix = "urn:message:";

    readonly HttpClient _http = CreateClient(options.RabbitMqUrl);
    readonly string _virtualHost = Uri.EscapeDataString(options.RabbitMqVirtualHost);

    public async Task<(IReadOnlyList<ErrorQueue> Queues, AuditCheck Check)> CheckAsync(CancellationToken cancellationToken)
    {
        var check = new AuditCheck("error-queues", "no message in any *_error queue");
        var queues = new List<ErrorQueue>();
        foreach (var (queue, reported) in await ListAsync(cancellationToken))
        {
            check.Count();
            var messages = await PeekAsync(queue, cancellationToken);
            var count = Math.Max(reported, messages.Count);
            queues.Add(new ErrorQueue(queue, count));
            foreach (var message in messages)
                check.Report(message.OrderId?.ToString() ?? queue, $"{queue}: {message.MessageType}: {message.Reason}", !options.AllowErrorQueues);
            if (count > messages.Count)
                check.Report(queue, $"{queue}: {count - messages.Count} more messages not read", !options.AllowErrorQueues);
        }

        return (queues, check);
    }

    async Task<IReadOnlyList<(string Name, long Messages)>> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"api/queues/{_virtualHost}?columns=name,messages", cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new HttpRequestException($"RabbitMQ virtual host '{options.RabbitMqVirtualHost}' does not exist.");
        response.EnsureSuccessStatusCode();

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return json.RootElement.EnumerateArray()
            .Select(x => (Name: x.GetProperty("name").GetString()!,
                Messages: x.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Number ? messages.GetInt64() : 0))
            .Where(x => x.Name.EndsWith("_error", StringComparison.Ordinal))
            .OrderBy(x => x.Name, StringComparer.Ordinal)
            .ToList();
    }

    async Task<IReadOnlyList<ErrorMessage>> PeekAsync(string queue, CancellationToken cancellationToken)
    {
        var request = JsonContent.Create(new { count = options.MaxErrorMessages, ackmode = "ack_requeue_true", encoding = "auto", truncate = 100_000 });
        using var response = await _http.PostAsync($"api/queues/{_virtualHost}/{Uri.EscapeDataString(queue)}/get", request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            return [];
        response.EnsureSuccessStatusCode();

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return json.RootElement.EnumerateArray().Select(x => Read(queue, x)).ToList();
    }

    static ErrorMessage Read(string queue, JsonElement message)
    {
        var payload = message.GetProperty("payload").GetString() ?? "";
        if (message.TryGetProperty("payload_encoding", out var encoding) && encoding.GetString() == "base64")
            payload = Encoding.UTF8.GetString(Convert.FromBase64String(payload));
        var headers = message.TryGetProperty("properties", out var properties) && properties.TryGetProperty("headers", out var h)
            ? h
            : default;

        string? messageType = null;
        Guid? orderId = null;
        try
        {
            using var body = JsonDocument.Parse(payload);
            var envelope = body.RootElement;
            if (envelope.ValueKind == JsonValueKind.Object && Property(envelope, "messageType") is { ValueKind: JsonValueKind.Array } types)
                messageType = types.EnumerateArray().Select(x => x.GetString()).FirstOrDefault();
            var content = envelope.ValueKind == JsonValueKind.Object && Property(envelope, "message") is { ValueKind: JsonValueKind.Object } inner
                ? inner
                : envelope;
            if (content.ValueKind == JsonValueKind.Object && Property(content, "orderId") is { ValueKind: JsonValueKind.String } id
                && id.TryGetGuid(out var parsed))
                orderId = parsed;
        }
        catch (JsonException)
        {
            // Not JSON: listed with its queue, type and reason only.
        }

        messageType ??= Header(headers, "MT-MessageType") ?? "unknown message type";
        if (messageType.StartsWith(UrnPrefix, StringComparison.Ordinal))
            messageType = messageType[UrnPrefix.Length..];
        return new ErrorMessage(queue, messageType, orderId, Reason(headers).ReplaceLineEndings(" ").Trim());
    }

    static string Reason(JsonElement headers)
    {
        var exception = Header(headers, "MT-Fault-ExceptionType");
        var message = Header(headers, "MT-Fault-Message");
        if (exception is not null || message is not null)
            return string.Join(": ", new[] { exception, message }.Where(x => x is not null));
        return Header(headers, "MT-Reason") is { } reason ? $"reason {reason}" : "no fault headers";
    }

    static string? Header(JsonElement headers, string name) =>
        headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    static JsonElement? Property(JsonElement element, string name) =>
        element.EnumerateObject().Where(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))
            .Select(x => (JsonElement?)x.Value).FirstOrDefault();

    static HttpClient CreateClient(Uri url)
    {
        var credentials = string.IsNullOrEmpty(url.UserInfo) ? "shop:shop" : Uri.UnescapeDataString(url.UserInfo);
        var client = new HttpClient
        {
            BaseAddress = new UriBuilder(url) { UserName = "", Password = "", Path = url.AbsolutePath.TrimEnd('/') + "/" }.Uri,
            Timeout = TimeSpan.FromSeconds(30),
        };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return client;
    }

    public void Dispose() => _http.Dispose();
}
