namespace Shop.Analytics.Tests;

/// <summary>A rebuild of one projection by name: a new generation of its table, the others untouched, the same numbers.</summary>
public sealed class When_one_projection_is_rebuilt(AnalyticsService analytics) : IClassFixture<AnalyticsService>
{
    [Fact]
    public async Task Should_rebuild_one_projection_by_name_and_leave_the_others()
    {
        await analytics.PublishAndWait(When_a_projection_is_rebuilt_under_ingest.Stories(8, 500));
        var generations = (await analytics.GetAsync<List<ProjectionView>>("/analytics/projections")).ToDictionary(x => x.Name);
        var views = await analytics.ViewsAsync();

        var rebuild = await analytics.Http.PostAsync("/analytics/projections/skus/rebuild", null);

        Assert.True(rebuild.IsSuccessStatusCode, await rebuild.Content.ReadAsStringAsync());
        var after = (await analytics.GetAsync<List<ProjectionView>>("/analytics/projections")).ToDictionary(x => x.Name);
        Assert.True(after["skus"].LiveGeneration > generations["skus"].LiveGeneration);
        Assert.Equal(generations["revenue"].LiveGeneration, after["revenue"].LiveGeneration);
        Views.Same(views, await analytics.ViewsAsync());
    }
}
