using System.Text.RegularExpressions;

namespace Shop.Deployment.Tests;

/// <summary>
/// Every relative link in the READMEs and docs/ points at a file that exists, and a #anchor at a heading of that file:
/// moving or renaming a document must not leave a newcomer at a dead end.
/// </summary>
public sealed partial class When_the_docs_link_to_a_file
{
    static readonly string[] Skipped = ["bin", "obj", ".git", ".run", ".run-fault", ".tools", "TestResults", "node_modules"];

    public static TheoryData<string> Documents => new(FindDocuments());

    [Fact]
    public void Should_check_the_readme_and_every_document_in_docs()
    {
        var documents = FindDocuments();

        Assert.Contains("README.md", documents);
        Assert.Contains("docs/architecture.md", documents);
        Assert.Contains("Simulators/PaymentProvider/README.md", documents);
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Should_resolve_every_relative_link(string document)
    {
        var broken = LinksOf(Repository.Read(document))
            .Where(link => !Resolves(document, link))
            .ToList();

        Assert.True(broken.Count == 0, $"{document} links to what does not exist: {string.Join(", ", broken)}");
    }

    static bool Resolves(string document, string link)
    {
        var hash = link.IndexOf('#');
        var target = hash < 0 ? link : link[..hash];
        var anchor = hash < 0 ? null : link[(hash + 1)..];

        var relative = target.Length == 0
            ? document
            : Path.GetRelativePath(Repository.Root, Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Repository.PathOf(document))!, target)));
        var path = Repository.PathOf(relative);
        if (!File.Exists(path) && !Directory.Exists(path))
            return false;

        // Anchors are checked in Markdown files only, against GitHub's heading slugs.
        return anchor is null || !path.EndsWith(".md", StringComparison.Ordinal) || HeadingSlugs(File.ReadAllText(path)).Contains(anchor);
    }

    static List<string> FindDocuments() =>
        Directory.EnumerateFiles(Repository.Root, "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(Repository.Root, path).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(path => !path.Split('/').Any(segment => Skipped.Contains(segment)))
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>The targets of inline links outside fenced code, without web addresses.</summary>
    static IEnumerable<string> LinksOf(string markdown) =>
        OutsideCode(markdown)
            .SelectMany(line => Link().Matches(line))
            .Select(match => match.Groups["target"].Value)
            .Where(target => !Uri.TryCreate(target, UriKind.Absolute, out _));

    static HashSet<string> HeadingSlugs(string markdown) =>
        OutsideCode(markdown)
            .Where(line => line.StartsWith('#'))
            .Select(line => NotInSlug().Replace(line.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-'))
            .ToHashSet(StringComparer.Ordinal);

    static IEnumerable<string> OutsideCode(string markdown)
    {
        var inFence = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                inFence = !inFence;
            else if (!inFence)
                yield return line;
        }
    }

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    // GitHub keeps letters, digits, spaces, hyphens and underscores of a heading, then turns spaces into hyphens.
    [GeneratedRegex(@"[^\p{L}\p{N} _-]")]
    private static partial Regex NotInSlug();
}
