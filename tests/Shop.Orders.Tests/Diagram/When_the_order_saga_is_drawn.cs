using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Shop.Messaging.Sagas;
using Shop.Orders.Saga;

namespace Shop.Orders.Tests.Diagram;

/// <summary>
/// The committed diagrams (docs/order-saga.dot, docs/order-saga.mmd and the Mermaid block in README.md) are generated
/// from <see cref="OrderStateMachine"/>; these tests fail as soon as the machine and the drawings disagree.
/// </summary>
public sealed class When_the_order_saga_is_drawn
{
    const string UpdateVariable = "SHOP_UPDATE_DIAGRAMS";
    const string ReadmeBegin = "<!-- order-saga:begin -->";
    const string ReadmeEnd = "<!-- order-saga:end -->";

    static readonly string Regenerate =
        $"Regenerate with: {UpdateVariable}=1 dotnet test tests/Shop.Orders.Tests --filter FullyQualifiedName~{nameof(When_the_order_saga_is_drawn)}";

    readonly StateMachineDiagram _diagram = Draw(new OrderStateMachine(Options.Create(new OrdersOptions()), TimeProvider.System,
        new OrderMetrics(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<IMeterFactory>()),
        NullLogger<OrderStateMachine>.Instance));

    static StateMachineDiagram Draw(OrderStateMachine machine) => StateMachineDiagram.Of(machine, machine.OnlyRecordedEvents);

    [Fact]
    public void Should_draw_each_transition_from_the_state_it_leaves()
    {
        Assert.Equal(["Initial", "Submitted", "Reserved", "Paid", "Compensating", "Completed", "Cancelled"], _diagram.States);
        Assert.Contains(new StateMachineDiagram.Transition("Initial", "OrderSubmitted", "Submitted"), _diagram.Transitions);
        Assert.Contains(new StateMachineDiagram.Transition("Paid", "ShipmentCreated", "Completed"), _diagram.Transitions);
        Assert.Equal(["Submitted", "Reserved", "Paid"],
            _diagram.Transitions.Where(x => x is { Event: "CancelOrder", To: "Compensating" }).Select(x => x.From));
        Assert.Equal(["Cancelled", "Compensating", "Completed"],
            _diagram.Transitions.Where(x => x.Event == "ShipmentCreated").Select(x => x.To).Order());
    }

    [Fact]
    public void Should_draw_a_deadline_out_of_every_waiting_state()
    {
        Assert.Contains(new StateMachineDiagram.Transition("Submitted", "StockReservationTimeout", "Compensating"), _diagram.Transitions);
        Assert.Contains(new StateMachineDiagram.Transition("Reserved", "PaymentTimeout", "Compensating"), _diagram.Transitions);
        Assert.Contains(new StateMachineDiagram.Transition("Paid", "ShipmentTimeout", "Compensating"), _diagram.Transitions);
        Assert.Contains(new StateMachineDiagram.Transition("Compensating", "CompensationTimeout", "Compensating"), _diagram.Transitions);
    }

    [Fact]
    public void Should_reach_cancelled_only_with_nothing_to_undo_or_through_the_confirmations()
    {
        Assert.Equal(["Compensating PaymentRefunded", "Compensating ShipmentCancelled", "Compensating StockReleased", "Submitted StockReservationFailed"],
            _diagram.Transitions.Where(x => x is { To: "Cancelled" } && x.From != "Cancelled").Select(x => $"{x.From} {x.Event}").Order());
    }

    [Fact]
    public void Should_draw_late_replies_in_a_final_state_as_loops_and_leave_ignored_events_out()
    {
        Assert.Equal(["PaymentCaptured", "ShipmentCreated", "StockReserved"],
            _diagram.Transitions.Where(x => x is { From: "Cancelled", To: "Cancelled" }).Select(x => x.Event));
        Assert.DoesNotContain(_diagram.Transitions, x => x.From == "Completed");
        Assert.DoesNotContain(_diagram.Transitions, x => x.Event.EndsWith(".Enter", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_match_the_committed_dot_file() => AssertCommitted("docs/order-saga.dot", _diagram.ToDot());

    [Fact]
    public void Should_match_the_committed_mermaid_file() => AssertCommitted("docs/order-saga.mmd", _diagram.ToMermaid());

    [Fact]
    public void Should_be_shown_in_the_readme()
    {
        var path = Path.Combine(RepositoryRoot(), "README.md");
        var readme = File.ReadAllText(path);
        var begin = readme.IndexOf(ReadmeBegin, StringComparison.Ordinal);
        var end = readme.IndexOf(ReadmeEnd, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"README.md has no '{ReadmeBegin}' ... '{ReadmeEnd}' block for the order saga diagram.");

        var expected = $"{ReadmeBegin}\n```mermaid\n{_diagram.ToMermaid()}```\n{ReadmeEnd}";
        var actual = readme[begin..(end + ReadmeEnd.Length)];
        if (actual != expected && Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, readme[..begin] + expected + readme[(end + ReadmeEnd.Length)..]);
            return;
        }

        Assert.True(actual == expected, $"README.md's order saga diagram is out of date. {Regenerate}");
    }

    static void AssertCommitted(string relativePath, string generated)
    {
        var path = Path.Combine(RepositoryRoot(), relativePath);
        var committed = File.Exists(path) ? File.ReadAllText(path) : null;
        if (committed != generated && Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
            return;
        }

        Assert.True(committed == generated,
            $"{relativePath} {(committed is null ? "is missing" : "no longer matches OrderStateMachine")}. {Regenerate}");
    }

    static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
                return directory.FullName;
        }

        throw new InvalidOperationException($"No Shop.sln above {AppContext.BaseDirectory}.");
    }
}
