using System.Text.Json;
using Shop.Analytics.Domain;
using Shop.Analytics.Projections;

namespace Shop.Analytics.Tests;

/// <summary>
/// Replays a recorded log (JSON lines, as <c>GET /analytics/events</c> and <c>shop-admin events export</c> write them)
/// through the projections in the test process: the same parsing as an import, the same facts and views as the
/// service, no database. For reproducing a report or a bug from a file.
/// </summary>
public static class LogReplay
{
    static readonly JsonSerializerOptions Lines = CreateOptions();

    public static IReadOnlyList<OrderFacts> Facts(string path) => File.ReadLines(path)
        .Where(line => !string.IsNullOrWhiteSpace(line))
        .Select((line, i) => EventImporter.Parse(line, Lines) is ({ } logged, null)
            ? OrderProjector.ToOrderEvent(logged)
            : throw new InvalidDataException($"{path} line {i + 1}: {EventImporter.Parse(line, Lines).Error}"))
        .GroupBy(x => x.OrderId)
        .Select(order => OrderFacts.Derive(order.Key, order))
        .ToList();

    public static IReadOnlyList<ViewRow> Rows(string path, Projection projection) => projection.Rows(Facts(path));

    static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceDefaults.ServiceDefaultsExtensions.ConfigureJson(options);
        return options;
    }

    /// <summary>Where the committed recordings are copied next to the test binaries.</summary>
    public static string Recording(string name) => Path.Combine(AppContext.BaseDirectory, "Recorded", name);

}
