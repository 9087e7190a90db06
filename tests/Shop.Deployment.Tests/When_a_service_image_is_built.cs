using System.Text.RegularExpressions;

namespace Shop.Deployment.Tests;

/// <summary>The one Dockerfile every service and the simulator are built from (no Docker engine here: read, not run).</summary>
public sealed partial class When_a_service_image_is_built
{
    static readonly string Dockerfile = Repository.Read("Dockerfile");

    [Fact]
    public void Should_restore_from_the_project_files_alone_before_copying_the_sources()
    {
        var skeleton = Dockerfile.IndexOf("COPY --from=projects /src .", StringComparison.Ordinal);
        var restore = Dockerfile.IndexOf("RUN dotnet restore \"$SERVICE_DIR/$SERVICE.csproj\"", StringComparison.Ordinal);
        var sources = Dockerfile.IndexOf("\nCOPY . .", restore < 0 ? 0 : restore, StringComparison.Ordinal);

        Assert.True(skeleton >= 0, "the build stage does not start from the projects-only stage");
        Assert.True(restore > skeleton, "restore does not follow the project files");
        Assert.True(sources > restore, "the sources are copied before restoring (every source change would restore again)");

        // The projects-only stage keeps what restore reads and nothing else.
        var keep = Regex.Matches(Dockerfile, @"! -name '([^']+)'").Select(x => x.Groups[1].Value).ToList();
        Assert.Equal(["*.csproj", "Directory.Build.props", "Directory.Packages.props"], keep);
    }

    [Fact]
    public void Should_refuse_to_build_without_naming_the_service() =>
        Assert.Matches(@"test -n ""\$SERVICE_DIR"" && test -n ""\$SERVICE""", Dockerfile);

    [Fact]
    public void Should_run_the_named_service_as_a_non_root_user_on_its_port()
    {
        Assert.Contains("USER $APP_UID", Dockerfile);
        Assert.Contains("EXPOSE $PORT", Dockerfile);
        Assert.Contains("ASPNETCORE_HTTP_PORTS=$PORT", Dockerfile);
        Assert.Contains("SHOP_SERVICE=$SERVICE", Dockerfile);
        Assert.Contains("ENTRYPOINT [\"/bin/sh\", \"-c\", \"exec dotnet \\\"$SHOP_SERVICE.dll\\\"\"]", Dockerfile);
    }

    [Theory]
    [MemberData(nameof(Repository.Services), MemberType = typeof(Repository))]
    public void Should_keep_no_dockerfile_of_its_own(string service) =>
        Assert.False(File.Exists(Repository.PathOf($"{Repository.FolderOf(service)}/Dockerfile")),
            $"{Repository.FolderOf(service)}/Dockerfile: every service builds from the root Dockerfile");

    [Fact]
    public void Should_not_send_tests_or_build_output_to_the_builder()
    {
        var ignored = Repository.Read(".dockerignore").Split('\n').Select(x => x.Trim()).ToHashSet();
        Assert.Superset(new HashSet<string> { "**/bin", "**/obj", "tests", ".git" }, ignored);
    }
}
