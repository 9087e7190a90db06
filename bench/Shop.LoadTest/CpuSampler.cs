using System.Globalization;
using Npgsql;

namespace Shop.LoadTest;

/// <summary>CPU seconds (user + system) of one process, read from /proc/&lt;pid&gt;/stat.</summary>
readonly record struct ProcessCpu(string Name, int Pid, double Seconds);

/// <summary>
/// The CPU every process the shop runs has used so far, per process: each service, the payment-provider simulator,
/// Identity and Analytics (the pid files scripts/local-up.sh writes), RabbitMQ's beam, and the PostgreSQL backends
/// connected to the stack's databases plus the server's own writers. This tool is not one of them, and the
/// connections it opens itself are left out. Two samples around the measured window give the CPU per order of every
/// process; Linux only (elsewhere nothing is sampled).
/// </summary>
sealed class CpuSampler(string runDirectory, string adminConnectionString, string databasePrefix)
{
    /// <summary>Jiffies per second: USER_HZ, 100 on every Linux this runs on.</summary>
    const double TicksPerSecond = 100;

    /// <summary>PostgreSQL's own processes that work for every connection (the WAL writer flushes each commit).</summary>
    static readonly string[] SharedBackendTypes = ["walwriter", "checkpointer", "background writer", "autovacuum worker", "autovacuum launcher"];

    public async Task<IReadOnlyList<ProcessCpu>> Sample()
    {
        var processes = new List<ProcessCpu>();
        if (Directory.Exists(runDirectory))
        {
            foreach (var file in Directory.GetFiles(runDirectory, "*.pid").Order(StringComparer.Ordinal))
            {
                if (int.TryParse(File.ReadAllText(file).Trim(), CultureInfo.InvariantCulture, out var pid) && Read(pid) is { } seconds)
                    processes.Add(new(Path.GetFileNameWithoutExtension(file), pid, seconds));
            }
        }

        foreach (var pid in ProcessesNamed("beam.smp"))
        {
            if (Read(pid) is { } seconds)
                processes.Add(new("rabbitmq", pid, seconds));
        }

        foreach (var (name, pid) in await PostgresBackends())
        {
            if (Read(pid) is { } seconds)
                processes.Add(new(name, pid, seconds));
        }

        return processes;
    }

    /// <summary>
    /// CPU seconds per process name over the window between two samples. A backend is counted from zero if it
    /// connected during the window; one that disconnected during it is lost (the services' pools keep theirs open).
    /// </summary>
    public static Dictionary<string, double> Delta(IReadOnlyList<ProcessCpu> before, IReadOnlyList<ProcessCpu> after)
    {
        var start = before.ToDictionary(x => (x.Name, x.Pid), x => x.Seconds);
        return after
            .GroupBy(x => x.Name)
            .ToDictionary(g => g.Key, g => g.Sum(x => Math.Max(0, x.Seconds - start.GetValueOrDefault((x.Name, x.Pid)))));
    }

    /// <summary>postgres:&lt;service&gt; for each backend of a service's database; postgres:shared for the server's writers.</summary>
    async Task<List<(string Name, int Pid)>> PostgresBackends()
    {
        var backends = new List<(string, int)>();
        try
        {
            await using var connection = new NpgsqlConnection(adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                """
                SELECT pid, datname, backend_type, application_name FROM pg_stat_activity
                WHERE pid <> pg_backend_pid() AND (datname LIKE $1 OR backend_type = ANY($2))
                """, connection)
            {
                Parameters = { new() { Value = databasePrefix.Replace("_", "\\_", StringComparison.Ordinal) + "%" }, new() { Value = SharedBackendTypes } },
            };
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var type = reader.GetString(2);
                if (SharedBackendTypes.Contains(type))
                {
                    backends.Add(("postgres:shared", reader.GetInt32(0)));
                    continue;
                }

                // This tool's own connections (the catalog check, the commit counter) are not the shop's.
                if (!reader.IsDBNull(3) && reader.GetString(3).StartsWith("shop-loadtest", StringComparison.Ordinal))
                    continue;
                var database = reader.GetString(1);
                backends.Add(("postgres:" + database[databasePrefix.Length..], reader.GetInt32(0)));
            }
        }
        catch (NpgsqlException)
        {
        }

        return backends;
    }

    static IEnumerable<int> ProcessesNamed(string name)
    {
        if (!Directory.Exists("/proc"))
            yield break;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
                continue;
            string comm;
            try
            {
                comm = File.ReadAllText(Path.Combine(directory, "comm")).Trim();
            }
            catch (IOException)
            {
                continue;
            }

            if (comm == name)
                yield return pid;
        }
    }

    /// <summary>utime + stime of a live process in seconds; null when it is gone.</summary>
    static double? Read(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        // The command name (field 2) may hold spaces and parentheses: the fields after its last ')' start at field 3.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }
}
