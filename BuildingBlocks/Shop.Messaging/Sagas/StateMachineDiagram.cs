using System.Text;
using MassTransit;
using MassTransit.SagaStateMachine;

namespace Shop.Messaging.Sagas;

/// <summary>
/// The states of a MassTransit state machine and the events that move an instance between them, read from the machine
/// itself, rendered as Graphviz DOT or Mermaid <c>stateDiagram-v2</c>. A handler that reacts to an event without
/// changing state (a late reply undone in a terminal state, say) is drawn as a loop on its state; <c>Ignore(...)</c>
/// and state lifecycle hooks (<c>WhenEnter</c>, <c>BeforeEnterAny</c>, ...) are not drawn. Output is sorted (states by
/// depth from Initial, then name; transitions by their states, then event), so it can be committed and compared.
/// </summary>
/// <remarks>
/// MassTransit's own <c>GetGraph()</c> shares one vertex per event between all states, so an event handled in several
/// states cannot be paired back to the transition it causes in each; this walks the machine per state instead.
/// </remarks>
public sealed class StateMachineDiagram
{
    readonly string _initial;
    readonly string _final;

    StateMachineDiagram(string name, IReadOnlyList<string> states, IReadOnlyList<Transition> transitions, string initial, string final)
    {
        Name = name;
        States = states;
        Transitions = transitions;
        _initial = initial;
        _final = final;
    }

    public string Name { get; }

    /// <summary>Every state that takes part in a transition, Initial first.</summary>
    public IReadOnlyList<string> States { get; }

    public IReadOnlyList<Transition> Transitions { get; }

    /// <summary>One edge: <paramref name="Event"/> received in <paramref name="From"/> leaves the instance in <paramref name="To"/>.</summary>
    public sealed record Transition(string From, string Event, string To);

    /// <param name="machine">The state machine to draw.</param>
    /// <param name="notDrawn">Events to leave out, e.g. those a saga only takes note of in every state.</param>
    public static StateMachineDiagram Of<TSaga>(StateMachine<TSaga> machine, IEnumerable<Event>? notDrawn = null)
        where TSaga : class, SagaStateMachineInstance
    {
        // Lifecycle hooks and the DuringAny handler MassTransit adds for each schedule only relay to other handlers.
        var relayEvents = machine.States
            .SelectMany(state => new[] { state.Enter, state.Leave, state.BeforeEnter, state.AfterLeave })
            .Concat(ScheduleRelayEvents(machine))
            .Concat(notDrawn ?? [])
            .Select(x => x.Name)
            .ToHashSet(StringComparer.Ordinal);

        var walker = new TransitionCollector<TSaga>();
        machine.Accept(walker);

        var transitions = walker.Handlers
            .SelectMany(handler => handler.Targets.Count > 0
                ? handler.Targets.Select(to => new Transition(handler.State, handler.Event, to))
                : handler.HasEffect && !relayEvents.Contains(handler.Event)
                    ? [new Transition(handler.State, handler.Event, handler.State)]
                    : [])
            .Distinct()
            .ToList();

        var initial = machine.Initial.Name;
        var rank = RankByDepth(initial, transitions);
        string[] states = [.. rank.OrderBy(x => x.Value).ThenBy(x => x.Key, StringComparer.Ordinal).Select(x => x.Key)];
        var order = states.Select((state, index) => (state, index)).ToDictionary(x => x.state, x => x.index);

        Transition[] sorted =
        [
            .. transitions
                .OrderBy(x => order[x.From])
                .ThenBy(x => order[x.To])
                .ThenBy(x => x.Event, StringComparer.Ordinal),
        ];

        return new StateMachineDiagram(machine.GetType().Name, states, sorted, initial, machine.Final.Name);
    }

    static IEnumerable<Event> ScheduleRelayEvents(object machine) =>
        machine.GetType().GetProperties()
            .Where(property => property.PropertyType.IsGenericType && property.PropertyType.GetGenericTypeDefinition() == typeof(Schedule<,>))
            .Select(property => property.PropertyType.GetProperty(nameof(Schedule<,>.AnyReceived))!.GetValue(property.GetValue(machine)))
            .OfType<Event>();

    /// <summary>
    /// The longest path from Initial to each state (loops ignored, a cycle capped at the number of states), so the
    /// happy path reads top-down and states reached on the way out (Cancelled, say) come after the ones they leave.
    /// States unreachable from Initial come last.
    /// </summary>
    static Dictionary<string, int> RankByDepth(string initial, IReadOnlyCollection<Transition> transitions)
    {
        var steps = transitions.Where(x => x.From != x.To).ToList();
        var states = transitions.SelectMany(x => new[] { x.From, x.To }).Append(initial).ToHashSet(StringComparer.Ordinal);
        var rank = new Dictionary<string, int>(StringComparer.Ordinal) { [initial] = 0 };
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var step in steps)
            {
                if (step.To != initial && rank.TryGetValue(step.From, out var from) && from + 1 < states.Count
                    && (!rank.TryGetValue(step.To, out var to) || to < from + 1))
                {
                    rank[step.To] = from + 1;
                    changed = true;
                }
            }
        }

        foreach (var state in states)
            rank.TryAdd(state, int.MaxValue);

        return rank;
    }

    /// <summary>Graphviz DOT: Initial as a dot, Final as a ringed dot, states as rounded boxes.</summary>
    public string ToDot()
    {
        var dot = new StringBuilder();
        dot.Append("digraph ").Append(DotId(Name)).Append(" {\n");
        dot.Append("    rankdir=TB;\n");
        dot.Append("    node [shape=box, style=rounded, fontname=\"Helvetica\"];\n");
        dot.Append("    edge [fontname=\"Helvetica\", fontsize=10];\n");
        foreach (var state in States)
        {
            dot.Append("    ").Append(DotId(state));
            if (state == _initial)
                dot.Append(" [shape=point, width=0.2, xlabel=").Append(DotId(state)).Append(']');
            else if (state == _final)
                dot.Append(" [shape=doublecircle, label=\"\", width=0.15, xlabel=").Append(DotId(state)).Append(']');
            dot.Append(";\n");
        }

        foreach (var transition in Transitions)
        {
            dot.Append("    ").Append(DotId(transition.From)).Append(" -> ").Append(DotId(transition.To))
                .Append(" [label=").Append(DotId(transition.Event)).Append("];\n");
        }

        return dot.Append("}\n").ToString();
    }

    /// <summary>Mermaid <c>stateDiagram-v2</c>: Initial and Final are Mermaid's start and end (<c>[*]</c>).</summary>
    public string ToMermaid()
    {
        var mermaid = new StringBuilder("stateDiagram-v2\n");
        foreach (var transition in Transitions)
        {
            mermaid.Append("    ").Append(MermaidState(transition.From)).Append(" --> ").Append(MermaidState(transition.To))
                .Append(" : ").Append(transition.Event).Append('\n');
        }

        return mermaid.ToString();
    }

    string MermaidState(string state) => state == _initial || state == _final ? "[*]" : state;

    static string DotId(string value) => $"\"{value.Replace("\\", "\\\\").Replace("\"", "\\\"")}\"";

    /// <summary>What one <c>When(event)</c> in one state does: the states it transitions to, if any.</summary>
    sealed record Handler(string State, string Event)
    {
        public List<string> Targets { get; } = [];

        /// <summary>Does something of its own, beyond MassTransit cancelling a request's timeout.</summary>
        public bool HasEffect { get; set; }
    }

    /// <summary>
    /// Visits each state's handlers in turn (MassTransit visits a state, then each of its events followed by that
    /// event's behavior), noting the transitions inside each behavior, including those nested in conditions.
    /// </summary>
    sealed class TransitionCollector<TSaga> : StateMachineVisitor
        where TSaga : class, SagaStateMachineInstance
    {
        string _state = "";
        Handler? _current;

        public List<Handler> Handlers { get; } = [];

        public void Visit(State state, Action<State> next)
        {
            _state = state.Name;
            _current = null;
            next(state);
        }

        public void Visit(Event @event, Action<Event> next)
        {
            Begin(@event.Name);
            next(@event);
        }

        public void Visit<TMessage>(Event<TMessage> @event, Action<Event<TMessage>> next)
            where TMessage : class
        {
            Begin(@event.Name);
            next(@event);
        }

        // Leaf activities (Then, Send, Publish, TransitionTo...) come here; containers (If, Catch...) to the overload below.
        public void Visit(IStateMachineActivity activity)
        {
            if (_current is null)
                return;

            if (activity is TransitionActivity<TSaga> transition)
                _current.Targets.Add(transition.ToState.Name);
            else if (!IsGeneric(activity, typeof(CancelRequestTimeoutActivity<,,,>)))
                _current.HasEffect = true;
        }

        public void Visit(IStateMachineActivity activity, Action<IStateMachineActivity> next) => next(activity);

        // The end of a behavior chain: nothing more to visit.
        public void Visit<T>(IBehavior<T> behavior)
            where T : class, SagaStateMachineInstance
        {
        }

        public void Visit<T>(IBehavior<T> behavior, Action<IBehavior<T>> next)
            where T : class, SagaStateMachineInstance => next(behavior);

        public void Visit<T, TMessage>(IBehavior<T, TMessage> behavior)
            where T : class, SagaStateMachineInstance
            where TMessage : class
        {
        }

        public void Visit<T, TMessage>(IBehavior<T, TMessage> behavior, Action<IBehavior<T, TMessage>> next)
            where T : class, SagaStateMachineInstance
            where TMessage : class => next(behavior);

        static bool IsGeneric(object value, Type definition) =>
            value.GetType() is { IsGenericType: true } type && type.GetGenericTypeDefinition() == definition;

        void Begin(string eventName)
        {
            _current = new Handler(_state, eventName);
            Handlers.Add(_current);
        }
    }
}
