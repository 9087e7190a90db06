using System.Text.Json.Nodes;

namespace Shop.Analytics.Apis;

/// <summary>How far the views are behind the events, over the most recent ones recorded.</summary>
public sealed record LagResponse(int Events, double? MedianSeconds, double? MaxSeconds, DateTimeOffset? LastRecordedAt);

public sealed record ProjectionResponse(string Name, int LiveGeneration, string CodeVersion, string CurrentCodeVersion,
    int? BuildingGeneration, DateTimeOffset? RebuiltAt);

public sealed record RebuildResponse(IReadOnlyList<string> Projections, int Generation, int Orders);

public sealed record ImportResponse(int Imported, int Duplicates);

/// <summary>One line of an export (JSON lines), and of an import.</summary>
public sealed record ExportedEvent(Guid EventId, string Type, int SchemaVersion, Guid OrderId, DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt, JsonObject Body);
