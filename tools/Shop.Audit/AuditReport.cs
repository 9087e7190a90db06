namespace Shop.Audit;

/// <summary>One thing the audit found about an order, SKU or queue; not a violation when the options allow it.</summary>
public sealed record Finding(string Check, string Subject, string Detail, bool Violation);

/// <summary>One invariant: how many subjects it looked at, and what it found.</summary>
public sealed class AuditCheck(string name, string description)
{
    readonly List<Finding> _findings = [];

    public string Name => name;
    public string Description => description;
    public int Checked { get; private set; }
    public IReadOnlyList<Finding> Findings => _findings;
    public int Violations => _findings.Count(x => x.Violation);

    /// <summary>Counts one more order, SKU or queue looked at.</summary>
    public void Count() => Checked++;

    public void Report(Guid orderId, string detail, bool violation = true) => Report(orderId.ToString(), detail, violation);

    public void Report(string subject, string detail, bool violation = true) => _findings.Add(new Finding(Name, subject, detail, violation));
}

public sealed record OrderOutcome(string State, string? Reason, int Count);

public sealed record ErrorQueue(string Name, long Messages);

public sealed record AuditReport(
    DateTimeOffset AuditedAt,
    DateTimeOffset? Since,
    int Orders,
    IReadOnlyList<OrderOutcome> OrdersByOutcome,
    IReadOnlyList<ErrorQueue> ErrorQueues,
    IReadOnlyList<AuditCheck> Checks,
    TimeSpan Elapsed)
{
    public IEnumerable<Finding> Findings => Checks.SelectMany(x => x.Findings);
    public int Violations => Checks.Sum(x => x.Violations);
}
