namespace Shop.Admin.Cli;

/// <summary>Where the tool reads confirmations and writes results (stdout) and prompts and errors (stderr).</summary>
public sealed record AdminConsole(TextReader In, TextWriter Out, TextWriter Error)
{
    public static AdminConsole Standard => new(Console.In, Console.Out, Console.Error);
}
