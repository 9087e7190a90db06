using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Shop.Deployment.Tests;

public sealed partial class When_a_service_image_is_built
{
    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void Should_copy_every_project_it_references_before_restoring(string service)
    {
        var dockerfile = Dockerfile(service);
        var restore = dockerfile.IndexOf("RUN dotnet restore", StringComparison.Ordinal);
        Assert.True(restore > 0, $"{Repository.FolderOf(service)}/Dockerfile has no 'RUN dotnet restore'");

        var propsCopy = dockerfile.IndexOf("COPY Directory.Build.props Directory.Packages.props ", StringComparison.Ordinal);
        Assert.True(propsCopy >= 0 && propsCopy < restore, $"{Repository.FolderOf(service)}/Dockerfile does not copy Directory.*.props before restoring");

        var sourcesCopiedAfterRestore = CopySources().Matches(dockerfile[restore..]).SelectMany(x => x.Groups[1].Value.Split(' ')).ToList();
        foreach (var project in ProjectClosure($"{Repository.FolderOf(service)}/Shop.{service}.csproj"))
        {
            var copy = dockerfile.IndexOf($"COPY {project} ", StringComparison.Ordinal);
            Assert.True(copy >= 0 && copy < restore, $"{Repository.FolderOf(service)}/Dockerfile does not copy {project} before restoring");
            var folder = project[..(project.LastIndexOf('/') + 1)];
            Assert.True(sourcesCopiedAfterRestore.Any(source => source.EndsWith('/') && folder.StartsWith(source, StringComparison.Ordinal)),
                $"{Repository.FolderOf(service)}/Dockerfile does not copy the sources of {folder}");
        }
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void Should_run_as_a_non_root_user_on_its_port(string service)
    {
        var dockerfile = Dockerfile(service);

        Assert.Contains("USER $APP_UID", dockerfile);
        Assert.Contains($"EXPOSE {Repository.ServicePorts[service]}", dockerfile);
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"Shop.{service}.dll\"]", dockerfile);
    }

    static string Dockerfile(string service)
    {
        var path = Repository.PathOf($"{Repository.FolderOf(service)}/Dockerfile");
        Assert.True(File.Exists(path), $"{path} does not exist");
        return File.ReadAllText(path);
    }

    /// <summary>The project and every project it references, directly or not, as repository-relative paths.</summary>
    static IReadOnlyCollection<string> ProjectClosure(string project)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.TryPop(out var current))
        {
            var path = Repository.PathOf(current);
            Assert.True(File.Exists(path), $"{path} does not exist");
            if (!found.Add(current))
                continue;

            foreach (var reference in XDocument.Load(path).Descendants("ProjectReference"))
            {
                var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(Repository.Root, target).Replace('\\', '/'));
            }
        }

        return found;
    }

    /// <summary>The sources of each <c>COPY source... destination</c> line.</summary>
    [GeneratedRegex(@"(?m)^COPY (?!--)(.+) \S+\s*$")]
    private static partial Regex CopySources();
}
