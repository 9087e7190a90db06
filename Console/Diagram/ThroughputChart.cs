using System.Globalization;
using System.Net;
using System.Text;
using Shop.Console.Data;

namespace Shop.Console.Diagram;

/// <summary>
/// Orders ended per minute as stacked SVG bars, one series per outcome (Completed, each cancellation reason), rendered
/// on the server from Orders' own rows; each bar segment says its minute and count in its title.
/// </summary>
public static class ThroughputChart
{
    const int BarWidth = 10;
    const int Gap = 2;
    const int Height = 120;
    const int Left = 34;
    const int Bottom = 18;

    public static string Render(Throughput throughput)
    {
        var series = throughput.Series;
        var max = Math.Max(1, throughput.Minutes.Max(x => x.Total));
        var width = Left + throughput.Minutes.Count * (BarWidth + Gap) + 4;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {Height + Bottom}\" width=\"{width}\" height=\"{Height + Bottom}\" role=\"img\" aria-labelledby=\"chart-title\">");
        svg.Append("<title id=\"chart-title\">Orders ended per minute, last hour: ")
            .Append(Encode(series.Count == 0 ? "none" : string.Join(", ", series.Select(s => $"{s} {throughput.TotalOf(s)}"))))
            .Append("</title>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"10\" class=\"axis\" text-anchor=\"end\">{max}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 4}\" y=\"{Height}\" class=\"axis\" text-anchor=\"end\">0</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line class=\"baseline\" x1=\"{Left}\" y1=\"{Height + 0.5}\" x2=\"{width - 4}\" y2=\"{Height + 0.5}\"/>");

        for (var i = 0; i < throughput.Minutes.Count; i++)
        {
            var minute = throughput.Minutes[i];
            var x = Left + i * (BarWidth + Gap);
            double top = Height;
            foreach (var (name, index) in series.Select((s, index) => (s, index)))
            {
                if (minute.Counts.GetValueOrDefault(name) is var count && count == 0)
                    continue;
                var h = (double)count / max * (Height - 12);
                top -= h;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<rect class=\"s{Math.Min(index, 7)}\" x=\"{x}\" y=\"{top:0.##}\" width=\"{BarWidth}\" height=\"{h:0.##}\" data-series=\"{Encode(name)}\" data-count=\"{count}\">")
                    .Append("<title>").Append(Encode($"{minute.Minute.UtcDateTime:HH:mm} UTC — {name}: {count}")).Append("</title></rect>");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height + Bottom - 4}\" class=\"axis\">{throughput.Start.UtcDateTime:HH:mm}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - 4}\" y=\"{Height + Bottom - 4}\" class=\"axis\" text-anchor=\"end\">{throughput.End.UtcDateTime:HH:mm} UTC</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>The CSS class of a series' colour (the legend uses the same).</summary>
    public static string ClassOf(Throughput throughput, string series) =>
        $"s{Math.Min(throughput.Series.ToList().IndexOf(series), 7)}";

    static string Encode(string value) => WebUtility.HtmlEncode(value);
}
