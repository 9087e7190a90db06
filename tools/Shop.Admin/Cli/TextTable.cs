namespace Shop.Admin.Cli;

/// <summary>A plain left-aligned table for a terminal; the last column is not padded.</summary>
public static class TextTable
{
    public static void Write(TextWriter output, IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var widths = headers.Select((header, column) => rows.Select(row => row[column].Length).Append(header.Length).Max()).ToArray();
        WriteRow(output, headers, widths);
        foreach (var row in rows)
            WriteRow(output, row, widths);
    }

    /// <summary>Cuts <paramref name="text"/> to one line of at most <paramref name="width"/> characters.</summary>
    public static string Fit(string? text, int width)
    {
        var line = (text ?? "").ReplaceLineEndings(" ");
        return line.Length <= width ? line : line[..(width - 1)] + "…";
    }

    static void WriteRow(TextWriter output, IReadOnlyList<string> cells, int[] widths) =>
        output.WriteLine(string.Join("  ", cells.Select((cell, column) => column == cells.Count - 1 ? cell : cell.PadRight(widths[column]))).TrimEnd());
}
