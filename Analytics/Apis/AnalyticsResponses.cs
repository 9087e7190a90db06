using System.Text.Json.Nodes;

namespace Shop.Analytics.Apis;

/// <summary>
/// How far the views are behind the events (occurred-at → recorded-at, seconds), over the most recent ones recorded or
/// those recorded since <see cref="Since"/>. <see cref="MedianSeconds"/> is <see cref="P50Seconds"/> (kept for readers of
/// the first shape); percentiles by nearest rank.
/// </summary>
public sealed record LagResponse(int Events, double? MedianSeconds, double? MaxSeconds, DateTimeOffset? LastRecordedAt,
    double? P50Seconds, double? P99Seconds, DateTimeOffset? Since);

/// <summary>A cancellation the operations feed delivered (<c>GET /analytics/alerts</c>).</summary>
public sealed record AlertResponse(Guid OrderId, string Reason, DateTimeOffset CancelledAt, DateTimeOffset RecordedAt);

public sealed record ProjectionResponse(string Name, int LiveGeneration, string CodeVersion, string CurrentCodeVersion,
    int? BuildingGeneration, DateTimeOffset? RebuiltAt);

public sealed record RebuildResponse(IReadOnlyList<string> Projections, int Generation, int Orders);

public sealed record ImportResponse(int Imported, int Duplicates);

/// <summary>One line of an export (JSON lines), and of an import.</summary>
public sealed record ExportedEvent(Guid EventId, string Type, int SchemaVersion, Guid OrderId, DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt, JsonObject Body);
