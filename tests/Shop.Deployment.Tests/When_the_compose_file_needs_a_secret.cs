using System.Text.RegularExpressions;

namespace Shop.Deployment.Tests;

public sealed partial class When_the_compose_file_needs_a_secret
{
    [Fact]
    public void Should_never_use_the_guest_account()
    {
        Assert.DoesNotContain("guest", Compose.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("guest", Repository.Read(".env"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Should_take_every_password_from_a_variable()
    {
        var assignments = CodeLines(Compose.Text)
            .SelectMany(line => SecretAssignment().Matches(line).Concat(SqlcmdPassword().Matches(line)))
            .Select(match => (match.Value, Secret: match.Groups["value"].Value.TrimStart('\\', '"', '\'')))
            .ToList();

        Assert.NotEmpty(assignments);
        Assert.All(assignments, x => Assert.True(x.Secret.StartsWith('$'), $"literal secret in {Compose.FileName}: {x.Value}"));
    }

    [Fact]
    public void Should_not_contain_the_secret_values_of_the_env_file()
    {
        var secrets = Compose.EnvFile.Where(x => SecretName().IsMatch(x.Key)).ToList();

        Assert.NotEmpty(secrets);
        Assert.All(secrets, x => Assert.DoesNotContain(x.Value, Compose.Text));
    }

    [Fact]
    public void Should_find_every_variable_it_references_in_the_env_file()
    {
        var referenced = Variable().Matches(Compose.Text).Select(x => x.Groups[1].Value).Distinct().ToList();
        var defined = Compose.EnvFile;

        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.True(defined.TryGetValue(name, out var value) && value.Length > 0,
            $"${{{name}}} is used in {Compose.FileName} but has no value in .env"));
    }

    static IEnumerable<string> CodeLines(string text) =>
        text.Split('\n').Where(line => !line.TrimStart().StartsWith('#'));

    /// <summary><c>SOME_PASSWORD: value</c>, <c>Password=value</c> in connection strings, <c>..._PASS: value</c>, secrets.</summary>
    [GeneratedRegex(@"(?i)(password|passwd|pwd|_pass|secret)\w*[ \t]*[:=][ \t]*(?<value>[^;\s,\]]*)")]
    private static partial Regex SecretAssignment();

    /// <summary>sqlcmd's <c>-P password</c>.</summary>
    [GeneratedRegex(@"\s-P\s+(?<value>\S+)")]
    private static partial Regex SqlcmdPassword();

    [GeneratedRegex(@"(?i)pass|secret|key|token")]
    private static partial Regex SecretName();

    /// <summary><c>${NAME}</c> interpolated by compose; <c>$${NAME}</c> is left to the container's shell.</summary>
    [GeneratedRegex(@"(?<!\$)\$\{(\w+)")]
    private static partial Regex Variable();
}
