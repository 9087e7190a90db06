using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Shop.Analytics.Domain;
using Shop.Testing;

namespace Shop.Analytics.Tests;

/// <summary>
/// Analytics running in-process on a database and virtual host of its own, and a test bus on the same vhost that
/// publishes the lifecycle events signed as their producers would. One per test class (a class fixture): every view
/// holds exactly what that class sent.
/// </summary>
public class AnalyticsService() : DatabaseAndVirtualHost("shop_analytics_test"), IAsyncLifetime
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    InProcessService? _service;

    public TestBus Bus { get; private set; } = null!;
    public ConsumedMessages Consumed { get; } = new();
    public InProcessService Service => _service!;
    public HttpClient Http => _service!.Http;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await BeforeStartAsync();
        Bus = Own(await TestBus.StartAsync(VirtualHost));
        _service = Own(await InProcessService.StartAsync("Analytics", Database, VirtualHost, AnalyticsApp.Build));
        _service.Services.GetRequiredService<IBus>().ConnectConsumeObserver(Consumed);
        await WaitForProjectionsAsync(Http);
    }

    /// <summary>Runs after the database and vhost exist, before the service starts (a deployment step).</summary>
    protected virtual Task BeforeStartAsync() => Task.CompletedTask;

    /// <summary>Waits until the start-up rebuild has made every projection live.</summary>
    public static Task WaitForProjectionsAsync(HttpClient http) =>
        Eventually.True(async () =>
        {
            var states = await http.GetFromJsonAsync<List<ProjectionView>>("/analytics/projections", Json);
            return states!.Count == Domain.Projections.All.Count && states.All(x => x.LiveGeneration > 0 && x.BuildingGeneration is null);
        }, "every projection live");

    /// <summary>Publishes the event under its id (as its producer would, signed) without waiting.</summary>
    public Task Publish(Guid eventId, object message) =>
        (Task)typeof(TestBus).GetMethod(nameof(TestBus.Publish))!.MakeGenericMethod(message.GetType())
            .Invoke(Bus, [message, eventId])!;

    /// <summary>Publishes the events and waits until the service has handled each delivery (a duplicate counts once more).</summary>
    public async Task PublishAndWait(IEnumerable<(Guid EventId, object Message)> events)
    {
        var list = events.ToList();
        var expected = list.GroupBy(x => x.EventId).ToDictionary(g => g.Key, g => Consumed.Count(g.Key) + g.Count());
        foreach (var (eventId, message) in list)
            await Publish(eventId, message);
        foreach (var (eventId, times) in expected)
            await Consumed.WaitFor(eventId, times);

        // A consume is observed when the consumer returns, which can be before its transaction commits: the views change
        // in the transaction that logs the event, so wait for every event's row to be visible.
        var ids = string.Join(", ", expected.Keys.Select(x => $"'{x}'"));
        await Eventually.True(async () => await Database.ScalarAsync<long>($"SELECT count(*) FROM \"Events\" WHERE \"EventId\" IN ({ids})") == expected.Count,
            "every event committed to the log");
    }

    public Task PublishAndWait(IEnumerable<OrderStory> stories) => PublishAndWait(stories.SelectMany(x => x.Events()));

    public Task<T> GetAsync<T>(string path) => GetAsync<T>(Http, path);

    public static async Task<T> GetAsync<T>(HttpClient http, string path)
    {
        var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    public static async Task<Views> ViewsAsync(HttpClient http, string query = "") => new(
        await GetAsync<List<SkuUnits>>(http, $"/analytics/skus{query}"),
        await GetAsync<List<CancellationCount>>(http, $"/analytics/cancellations{query}"),
        await GetAsync<List<RevenueDay>>(http, $"/analytics/revenue{query}"),
        await GetAsync<Funnel>(http, $"/analytics/funnel{query}"));

    public Task<Views> ViewsAsync(string query = "") => ViewsAsync(Http, query);

    /// <summary>Asserts the views say exactly what the stories say (computed by <see cref="Expected"/>, not by the service's code).</summary>
    public static void AssertViews(Views views, IReadOnlyCollection<OrderStory> stories)
    {
        Assert.Equal(Expected.Skus(stories), views.Skus.Select(x => (x.Sku, x.UnitsSold, x.UnitsCancelled)).ToList());
        Assert.Equal(Expected.Cancellations(stories), views.Cancellations.Select(x => (x.Reason, x.Orders)).ToList());
        Assert.Equal(Expected.Revenue(stories), views.Revenue.Select(x => (x.Day, x.OrdersSubmitted, x.OrdersCompleted, x.OrdersCancelled, x.Revenue)).ToList());
        Assert.Equal(Expected.Funnel(stories), views.Funnel.Steps.Select(x => x.Orders).ToArray());
    }
}

public sealed record ProjectionView(string Name, int LiveGeneration, string CodeVersion, string CurrentCodeVersion, int? BuildingGeneration);

/// <summary>All four views as the API answers them; records compare by value, lists by content (see <see cref="Same"/>).</summary>
public sealed record Views(List<SkuUnits> Skus, List<CancellationCount> Cancellations, List<RevenueDay> Revenue, Funnel Funnel)
{
    public static void Same(Views expected, Views actual)
    {
        Assert.Equal(expected.Skus, actual.Skus);
        Assert.Equal(expected.Cancellations, actual.Cancellations);
        Assert.Equal(expected.Revenue, actual.Revenue);
        Assert.Equal(expected.Funnel.Steps, actual.Funnel.Steps);
    }
}
