using System.Globalization;
using System.Net;
using System.Text;
using Shop.Console.Data;
using Shop.Messaging.Sagas;

namespace Shop.Console.Diagram;

/// <summary>
/// The order saga drawn as SVG on the server from the running state machine's own graph
/// (<see cref="StateMachineDiagram"/>), so it cannot drift from the code: states left to right by their depth from
/// Initial, each with its live population and the age of its oldest order, each a link to the list of its orders. Plain
/// SVG text and links: tests and screen readers read the numbers (<c>data-state</c>, <c>data-count</c>, labels).
/// </summary>
public sealed class SagaDiagram(StateMachineDiagram diagram)
{
    const int BoxWidth = 130;
    const int BoxHeight = 58;
    const int ColumnGap = 46;
    const int RowGap = 46;
    const int Margin = 24;

    public StateMachineDiagram Graph => diagram;

    /// <summary>The states an order can be in (every state of the graph but Initial).</summary>
    public IEnumerable<string> States => diagram.States.Where(x => x != "Initial");

    public string Render(IReadOnlyDictionary<string, StatePopulation> population, Func<string, string> linkOf)
    {
        var positions = Layout();
        var width = positions.Values.Max(x => x.X) + BoxWidth + Margin;
        var height = positions.Values.Max(x => x.Y) + BoxHeight + Margin + 14;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"saga\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-labelledby=\"saga-title\">");
        svg.Append("<title id=\"saga-title\">The order saga: orders in each state</title>");
        svg.Append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\">")
            .Append("<path d=\"M 0 0 L 10 5 L 0 10 z\" class=\"arrowhead\"/></marker></defs>");

        // Edges first, under the boxes: one per pair of states, its events in its title (several events often lead the same way).
        foreach (var edge in diagram.Transitions.Where(x => x.From != x.To).GroupBy(x => (x.From, x.To)))
        {
            var (from, to) = (positions[edge.Key.From], positions[edge.Key.To]);
            var (x1, y1) = Clip(from, to);
            var (x2, y2) = Clip(to, from);
            var events = edge.Select(x => x.Event).ToList();
            svg.Append(CultureInfo.InvariantCulture, $"<g class=\"edge\" data-from=\"{Encode(edge.Key.From)}\" data-to=\"{Encode(edge.Key.To)}\">")
                .Append("<title>").Append(Encode($"{edge.Key.From} → {edge.Key.To}: {string.Join(", ", events)}")).Append("</title>")
                .Append(CultureInfo.InvariantCulture, $"<line x1=\"{x1:0.#}\" y1=\"{y1:0.#}\" x2=\"{x2:0.#}\" y2=\"{y2:0.#}\" marker-end=\"url(#arrow)\"/>")
                .Append("</g>");
        }

        foreach (var state in diagram.States)
        {
            var (x, y) = positions[state];
            if (state == "Initial")
            {
                svg.Append(CultureInfo.InvariantCulture, $"<g class=\"initial\"><title>Initial</title><circle cx=\"{x + BoxWidth / 2}\" cy=\"{y + BoxHeight / 2}\" r=\"9\"/></g>");
                continue;
            }

            var count = population.TryGetValue(state, out var p) ? p.Count : 0;
            var oldest = p is not null && count > 0 ? $"oldest {Durations.Format(p.OldestAge)}" : "none";
            var loops = diagram.Transitions.Where(t => t.From == state && t.To == state).Select(t => t.Event).ToList();
            var terminal = OrdersQueries.TerminalStates.Contains(state);
            var label = $"{state}: {count} {(count == 1 ? "order" : "orders")}{(count > 0 && !terminal ? $", {oldest}" : "")}";
            svg.Append(CultureInfo.InvariantCulture,
                    $"<a href=\"{Encode(linkOf(state))}\" class=\"state{(terminal ? " terminal" : "")}{(count > 0 && !terminal ? " busy" : "")}\" data-state=\"{Encode(state)}\" data-count=\"{count}\" aria-label=\"{Encode(label)}\">")
                .Append("<title>").Append(Encode(loops.Count > 0 ? $"{label}. Also handled here: {string.Join(", ", loops)}" : label)).Append("</title>")
                .Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{y}\" width=\"{BoxWidth}\" height=\"{BoxHeight}\" rx=\"10\"/>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 10}\" y=\"{y + 20}\" class=\"name\">{Encode(state)}</text>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + BoxWidth - 10}\" y=\"{y + 22}\" class=\"count\" text-anchor=\"end\">{count}</text>")
                .Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 10}\" y=\"{y + 44}\" class=\"age\">{Encode(terminal ? "final" : oldest)}</text>")
                .Append("</a>");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Columns by the longest path from Initial (loops ignored), rows by the order within a column.</summary>
    Dictionary<string, (int X, int Y)> Layout()
    {
        var depth = diagram.States.ToDictionary(x => x, _ => 0, StringComparer.Ordinal);
        var steps = diagram.Transitions.Where(x => x.From != x.To && x.To != "Initial").ToList();
        for (var round = 0; round < diagram.States.Count; round++)
        {
            foreach (var step in steps)
            {
                if (depth[step.To] < depth[step.From] + 1)
                    depth[step.To] = Math.Min(depth[step.From] + 1, diagram.States.Count);
            }
        }

        var positions = new Dictionary<string, (int, int)>(StringComparer.Ordinal);
        foreach (var column in diagram.States.GroupBy(x => depth[x]))
        {
            var row = 0;
            foreach (var state in column)
                positions[state] = (Margin + column.Key * (BoxWidth + ColumnGap), Margin + row++ * (BoxHeight + RowGap));
        }

        return positions;
    }

    /// <summary>Where the line from the centre of <paramref name="from"/> to the centre of <paramref name="to"/> leaves the box.</summary>
    static (double X, double Y) Clip((int X, int Y) from, (int X, int Y) to)
    {
        double cx = from.X + BoxWidth / 2.0, cy = from.Y + BoxHeight / 2.0;
        double dx = to.X + BoxWidth / 2.0 - cx, dy = to.Y + BoxHeight / 2.0 - cy;
        if (dx == 0 && dy == 0)
            return (cx, cy);
        var scale = Math.Min(dx == 0 ? double.MaxValue : (BoxWidth / 2.0 + 4) / Math.Abs(dx), dy == 0 ? double.MaxValue : (BoxHeight / 2.0 + 4) / Math.Abs(dy));
        return (cx + dx * scale, cy + dy * scale);
    }

    static string Encode(string value) => WebUtility.HtmlEncode(value);
}
