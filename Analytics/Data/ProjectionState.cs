namespace Shop.Analytics.Data;

/// <summary>
/// Which generation of a projection's table is live (<c>Projections</c>): readers see only rows of
/// <see cref="LiveGeneration"/>; a rebuild writes <see cref="BuildingGeneration"/> beside it while ingest keeps both up
/// to date, then swaps the pointer.
/// </summary>
public sealed class ProjectionState
{
    public string Name { get; set; } = "";
    public int LiveGeneration { get; set; }

    /// <summary>The code the live rows were computed with (<c>Projection.CodeVersion</c>); another one means a rebuild.</summary>
    public string CodeVersion { get; set; } = "";

    public int? BuildingGeneration { get; set; }
    public string? BuildingCodeVersion { get; set; }
    public DateTimeOffset? RebuildStartedAt { get; set; }
    public DateTimeOffset? RebuiltAt { get; set; }
}
