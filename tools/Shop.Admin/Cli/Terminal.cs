using Spectre.Console;
using Spectre.Console.Rendering;

namespace Shop.Admin.Cli;

/// <summary>
/// Spectre.Console over the tool's own streams (<see cref="AdminConsole"/>, so tests drive it like a shell): plain text,
/// no ANSI codes, wide enough that no table row wraps when piped.
/// </summary>
public static class Terminal
{
    const int Width = 1000;

    public static IAnsiConsole Over(TextWriter output, TextReader? input = null)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.Yes,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = Width;
        return input is null ? console : new WithInput(console, new LineInput(input));
    }

    /// <summary>
    /// Text from a message, made inert for a terminal: every control character (C0, DEL, C1 — the escape sequences that
    /// move the cursor or erase a line), bidirectional override and line separator is written as <c>\u001B</c>, so a
    /// header value can neither hide another line nor read backwards. Line feeds stay when <paramref name="keepLineFeeds"/>.
    /// </summary>
    public static string Escape(string text, bool keepLineFeeds = false)
    {
        if (!text.Any(c => NeedsEscape(c, keepLineFeeds)))
            return text;

        var escaped = new System.Text.StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (NeedsEscape(c, keepLineFeeds))
                escaped.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            else
                escaped.Append(c);
        }

        return escaped.ToString();
    }

    static bool NeedsEscape(char c, bool keepLineFeeds) =>
        (c < ' ' && !(keepLineFeeds && c == '\n'))
        || c is >= '\u007F' and <= '\u009F'
        || c is '\u061C' or '\u200E' or '\u200F' or '\u2028' or '\u2029'
        || c is >= '\u202A' and <= '\u202E'
        || c is >= '\u2066' and <= '\u2069';

    /// <summary>Asks on <paramref name="error"/> and reads the answer (a line) from <paramref name="input"/>; end of input answers "".</summary>
    public static string Ask(TextWriter error, TextReader input, string question) =>
        Over(error, input).Prompt(new TextPrompt<string>(question).AllowEmpty()).Trim();

    sealed class WithInput(IAnsiConsole console, IAnsiConsoleInput input) : IAnsiConsole
    {
        public Profile Profile => console.Profile;
        public IAnsiConsoleCursor Cursor => console.Cursor;
        public IAnsiConsoleInput Input => input;
        public IExclusivityMode ExclusivityMode => console.ExclusivityMode;
        public RenderPipeline Pipeline => console.Pipeline;
        public void Clear(bool home) => console.Clear(home);
        public void Write(IRenderable renderable) => console.Write(renderable);
        public void WriteAnsi(Action<AnsiWriter> action) => console.WriteAnsi(action);
    }

    /// <summary>Keys from a text stream (stdin, or what a test types); its end is an Enter, so a prompt never waits forever.</summary>
    sealed class LineInput(TextReader reader) : IAnsiConsoleInput
    {
        public bool IsKeyAvailable() => true;

        public ConsoleKeyInfo? ReadKey(bool intercept) => reader.Read() switch
        {
            -1 or '\n' => new ConsoleKeyInfo('\r', ConsoleKey.Enter, false, false, false),
            '\r' => ReadKey(intercept),
            var c => new ConsoleKeyInfo((char)c, default, false, false, false),
        };

        public Task<ConsoleKeyInfo?> ReadKeyAsync(bool intercept, CancellationToken cancellationToken) =>
            Task.FromResult(ReadKey(intercept));
    }
}
