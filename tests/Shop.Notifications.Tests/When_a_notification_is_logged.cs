using Microsoft.Extensions.Logging;
using Shop.Contracts;
using Shop.Notifications.Domain;
using Shop.Notifications.Gateways;

namespace Shop.Notifications.Tests;

/// <summary>The stand-in e-mail gateway writes a log line per notification: the customer's address appears masked.</summary>
public sealed class When_a_notification_is_logged
{
    [Fact]
    public async Task Should_mask_the_email_address()
    {
        var logger = new CapturingLogger();
        var notification = Notification.For(new OrderCompleted(Guid.NewGuid(), "customer-1", "ada.lovelace@example.com", 25.00m, "TRACK-1",
            DateTimeOffset.UtcNow), DateTimeOffset.UtcNow);

        await new LoggingNotificationSender(logger).SendAsync(notification, CancellationToken.None);

        var line = Assert.Single(logger.Lines);
        Assert.DoesNotContain("ada.lovelace", line, StringComparison.Ordinal);
        Assert.Contains("a***@example.com", line, StringComparison.Ordinal);
        Assert.Contains(notification.OrderId.ToString(), line, StringComparison.Ordinal);
    }

    sealed class CapturingLogger : ILogger<LoggingNotificationSender>
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull =>
            null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // The formatted line and every structured value: a sink may write either.
            var values = state as IEnumerable<KeyValuePair<string, object?>> ?? [];
            Lines.Add($"{formatter(state, exception)} | {string.Join(", ", values.Select(x => $"{x.Key}={x.Value}"))}");
        }
    }
}
