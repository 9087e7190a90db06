namespace Shop.Analytics.Projections;

/// <summary>
/// At start-up: creates the state of new projections and rebuilds, without stopping ingest, every projection whose live
/// rows were computed by other code (a changed <c>Projection.Version</c> or <c>OrderFacts.CodeVersion</c>), or whose
/// rebuild a previous process left unfinished.
/// </summary>
public sealed class ProjectionMaintenance(ProjectionRebuilder rebuilder, ILogger<ProjectionMaintenance> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var stale = await rebuilder.PrepareAsync(stoppingToken);
            if (stale.Count > 0)
                await rebuilder.RebuildAsync(stale.Select(x => x.Name).ToList(), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (RebuildInProgressException exception)
        {
            logger.LogInformation("Start-up rebuild skipped: {Reason}", exception.Message);
        }
        catch (Exception exception)
        {
            // Surfaced, never swallowed silently: the views stay on their old code until an operator rebuilds them.
            logger.LogError(exception, "Start-up rebuild of the projections failed; run shop-admin projections rebuild --all");
        }
    }
}
