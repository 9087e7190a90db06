using Spectre.Console;
using Spectre.Console.Rendering;

namespace Shop.Admin.Cli;

/// <summary>A plain left-aligned table (Spectre.Console, no borders, no colours): one record per line, for people and grep.</summary>
public static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var (header, column) in headers.Select((header, column) => (header, column)))
            table.AddColumn(new TableColumn(new Text(header)).PadLeft(0).PadRight(column == headers.Count - 1 ? 0 : 2));
        foreach (var row in rows)
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)));

        using var rendered = new StringWriter();
        Terminal.Over(rendered).Write(table);
        // Cells are padded to their column's width; the last one needs no padding.
        foreach (var line in rendered.ToString().TrimEnd().Split('\n'))
            output.WriteLine(line.TrimEnd());
    }

    /// <summary>Cuts <paramref name="text"/> to one line of at most <paramref name="width"/> characters.</summary>
    public static string Fit(string? text, int width)
    {
        var line = (text ?? "").ReplaceLineEndings(" ");
        return line.Length <= width ? line : line[..(width - 1)] + "…";
    }
}
