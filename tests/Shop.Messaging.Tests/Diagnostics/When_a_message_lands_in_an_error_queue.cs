using System.Net;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Shop.Messaging.Tests.Infrastructure;
using Shop.Testing;
using static Shop.Messaging.Diagnostics.DiagnosticsServiceCollectionExtensions;

namespace Shop.Messaging.Tests.Diagnostics;

public sealed class When_a_message_lands_in_an_error_queue : DiagnosticsTest
{
    [Fact]
    public async Task Should_be_degraded_until_the_message_is_taken_out()
    {
        var empty = await Eventually.Value(async () => await Ready() is var ready && ready.Checks[ErrorQueuesCheck].Description!.EndsWith("empty", StringComparison.Ordinal) ? ready : null,
            "the error-queue check to know the service's endpoints");
        Assert.Equal("Healthy", empty.Checks[ErrorQueuesCheck].Status);
        Assert.Equal("2 error queue(s) empty", empty.Checks[ErrorQueuesCheck].Description);

        await Service.Services.GetRequiredService<IBus>().SendTo("increment-counter", new IncrementThenExplode("error-queue-health"));

        Readiness? degraded = null;
        await Eventually.True(async () => (degraded = await Ready()).Checks[ErrorQueuesCheck].Status == "Degraded",
            "the error-queue check to turn Degraded");
        Assert.Equal(HttpStatusCode.OK, degraded!.HttpStatus);
        Assert.Equal("Degraded", degraded.Status);
        Assert.Equal("Messages in error queues: increment-counter_error: 1", degraded.Checks[ErrorQueuesCheck].Description);

        Assert.Single(await VirtualHost.GetMessagesAsync("increment-counter_error"));

        await Eventually.True(async () => (await Ready()).Checks[ErrorQueuesCheck].Status == "Healthy",
            "the error-queue check to turn Healthy once the queue is empty");
    }
}
