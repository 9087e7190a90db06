using System.Net.Http.Json;
using Npgsql;
using Shop.Analytics.Apis;
using Shop.Analytics.Domain;
using Shop.Contracts;
using Shop.Testing;

namespace Shop.Analytics.Tests;

/// <summary>
/// A rebuild recomputes the projections from the log into new tables while events keep arriving, then swaps them in:
/// the result equals what the orders say, and what the log says.
/// </summary>
public sealed class When_a_projection_is_rebuilt_under_ingest(AnalyticsService analytics) : IClassFixture<AnalyticsService>
{
    static readonly DateTimeOffset Day = new(2026, 11, 10, 8, 0, 0, TimeSpan.Zero);

    internal static List<OrderStory> Stories(int count, int offset) => Enumerable.Range(offset, count).Select(i => (i % 4) switch
    {
        0 => OrderStory.Completed(Day.AddMinutes(i * 37), new OrderLine($"SKU-{i % 7}", 1 + i % 3, 2m + i % 5)),
        1 => OrderStory.Cancelled(Day.AddMinutes(i * 37), StoryEnd.CancelledAfterReserve, CancellationReason.PaymentDeclined, new OrderLine($"SKU-{i % 7}", 1, 3m)),
        2 => OrderStory.Cancelled(Day.AddMinutes(i * 37), StoryEnd.CancelledAfterPayment, CancellationReason.ShippingFailed, new OrderLine($"SKU-{i % 5}", 2, 3m)),
        _ => OrderStory.Completed(Day.AddMinutes(i * 37), new OrderLine($"SKU-{i % 5}", 2, 1.5m), new OrderLine("SKU-X", 1, 9m)),
    }).ToList();

    [Fact]
    public async Task Should_equal_the_live_views_after_the_swap()
    {
        var before = Stories(60, 0);
        var during = Stories(60, 60);
        var committedLate = OrderStory.Completed(Day, new OrderLine("SKU-LATE-COMMIT", 4, 2m));
        await analytics.PublishAndWait(before);
        var generations = await analytics.GetAsync<List<ProjectionView>>("/analytics/projections");

        // A writer that started before the rebuild and commits after it began: its rows are stamped below the
        // rebuild's mark but invisible to it until they commit — what a naive cursor skips.
        await using var slowWriter = new NpgsqlConnection(analytics.Database.ConnectionString);
        await slowWriter.OpenAsync();
        await using var slowTransaction = await slowWriter.BeginTransactionAsync();
        foreach (var (eventId, message) in committedLate.Events())
            await InsertAsync(slowWriter, eventId, message);

        var rebuild = analytics.Http.PostAsync("/analytics/projections/rebuild", null);
        await Eventually.True(async () => (await analytics.GetAsync<List<ProjectionView>>("/analytics/projections"))
            .All(x => x.BuildingGeneration is not null), "the rebuild marked its generation");
        // Ingest goes on while the rebuild waits for the slow writer.
        await analytics.PublishAndWait(during.SelectMany(x => x.Events()).OrderBy(x => x.EventId));
        Assert.False(rebuild.IsCompleted, "the rebuild waits for every transaction older than its mark");
        await slowTransaction.CommitAsync();
        var response = await rebuild;

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var result = (await response.Content.ReadFromJsonAsync<RebuildResponse>(AnalyticsService.Json))!;
        Assert.Equal(Domain.Projections.All.Select(x => x.Name), result.Projections);
        Assert.True(result.Generation > generations.Max(x => x.LiveGeneration));
        var views = await analytics.ViewsAsync();
        AnalyticsService.AssertViews(views, [.. before, .. during, committedLate]);
        Views.Same(views, await analytics.ViewsAsync($"?asOf={DateTimeOffset.UtcNow.AddDays(1):O}"));
        // The old generation is gone; the SQL view a person queries shows the live rows.
        Assert.Equal(0, await analytics.Database.ScalarAsync<long>($"SELECT count(*) FROM \"SkuUnits\" WHERE \"Generation\" <> {result.Generation}"));
        Assert.Equal(views.Skus.Sum(x => x.UnitsSold), await analytics.Database.ScalarAsync<long>("SELECT sum(\"UnitsSold\") FROM \"LiveSkuUnits\""));
    }

    static async Task InsertAsync(NpgsqlConnection connection, Guid eventId, object message)
    {
        var (type, version) = EventBodies.NameOf(message.GetType());
        var (orderId, occurredAt) = EventBodies.Identify(message);
        await using var command = new NpgsqlCommand(
            """INSERT INTO "Events" ("EventId", "Type", "SchemaVersion", "OrderId", "OccurredAt", "Body") VALUES (@id, @type, @version, @order, @at, @body)""",
            connection);
        command.Parameters.AddWithValue("id", eventId);
        command.Parameters.AddWithValue("type", type);
        command.Parameters.AddWithValue("version", version);
        command.Parameters.AddWithValue("order", orderId);
        command.Parameters.AddWithValue("at", occurredAt);
        command.Parameters.AddWithValue("body", EventBodies.Write(message));
        await command.ExecuteNonQueryAsync();
    }
}
