using Shop.Admin.Cli;
using Shop.Operations.Broker;
using Shop.Operations.DeadLetters;

namespace Shop.Admin.DeadLetters;

/// <summary>
/// What <c>shop-admin errors …</c> does: the operations of <see cref="DeadLetterOperations"/> (shared with the console),
/// written for a terminal or as JSON. Every command takes the messages present in the selected error queues,
/// unacknowledged, acts on those matching the filter, and hands everything else back in its original order.
/// </summary>
public sealed class DeadLetterCommands(BrokerSettings settings, AdminConsole console, bool json, TimeProvider clock,
    OperatorKey? operatorKey = null, PublicKeys? publicKeys = null)
{
    readonly DeadLetterOperations _operations = new(settings, clock, operatorKey, publicKeys);

    public async Task<int> ListAsync(DeadLetterFilter filter, CancellationToken cancellationToken)
    {
        var outcome = await _operations.ListAsync(filter, cancellationToken);
        if (NotFound(filter, outcome) is { } notFound)
            return notFound;

        var matches = Letters(outcome.Messages);
        if (json)
        {
            DeadLetterOutput.WriteJson(console.Out, matches.Select(x => DeadLetterOutput.Summary(x, outcome.At)));
            return ExitCodes.Success;
        }

        if (matches.Count > 0)
            DeadLetterOutput.WriteTable(console.Out, matches, outcome.At);
        var queues = matches.Select(x => x.ErrorQueue).Distinct().Count();
        console.Out.WriteLine($"{Count(matches.Count, "message")} in {Count(queues, "error queue")}.");
        return ExitCodes.Success;
    }

    public async Task<int> ShowAsync(string messageId, CancellationToken cancellationToken)
    {
        var filter = new DeadLetterFilter(MessageId: messageId);
        var outcome = await _operations.ListAsync(filter, cancellationToken);
        if (NotFound(filter, outcome) is { } notFound)
            return notFound;

        var matches = Letters(outcome.Messages);
        if (json)
            DeadLetterOutput.WriteJson(console.Out, matches.Select(x => DeadLetterOutput.Details(x, outcome.At)));
        else
            console.Out.WriteLine(string.Join(Environment.NewLine + new string('-', 80) + Environment.NewLine,
                matches.Select(x => Render(writer => DeadLetterOutput.WriteDetails(writer, x, outcome.At)))));
        return ExitCodes.Success;
    }

    /// <summary>
    /// Re-drives the matches (<see cref="DeadLetterOperations.RedriveAsync"/>): a message that is not validly signed by a
    /// sender allowed its types stays in <c>_error</c>, unless its id is among <paramref name="named"/> — then the tool
    /// says what it re-signed, in whose name, and why it was refused.
    /// </summary>
    public async Task<int> RedriveAsync(DeadLetterFilter filter, bool dryRun, IReadOnlyCollection<string> named, CancellationToken cancellationToken)
    {
        var outcome = await _operations.RedriveAsync(filter, dryRun, named, cancellationToken);
        if (NotFound(filter, outcome) is { } notFound)
            return notFound;

        var now = outcome.At;
        var refused = outcome.With(MessageResult.Refused);
        var chosen = outcome.Messages.Where(x => x.Result is MessageResult.Moved or MessageResult.WouldMove or MessageResult.Failed).ToList();
        var forced = chosen.Where(x => x.Forced).ToList();
        if (!json)
        {
            foreach (var message in forced)
            {
                console.Out.WriteLine(Terminal.Escape(
                    $"{(dryRun ? "Would re-sign" : "Re-signing")} with the operator key, in the name of '{message.OnBehalfOf}', message {message.Letter.Id} "
                    + $"({string.Join(", ", message.Letter.MessageTypes)}) for queue {message.Letter.SourceQueue}, although it was refused: {message.Refusal}: {message.Detail}."));
            }
        }

        var refusedRows = refused.Select(x => new { x.Letter.Id, queue = x.Letter.SourceQueue, refusal = x.Refusal, Why = x.Detail }).ToList();
        var forcedRows = forced.Select(x => new { x.Letter.Id, queue = x.Letter.SourceQueue, refusal = x.Refusal, onBehalfOf = x.OnBehalfOf }).ToList();
        if (dryRun)
        {
            WriteOutcome(new { dryRun, matched = outcome.Messages.Count, moved = 0, refused = refusedRows, forced = forcedRows, failed = Array.Empty<object>() },
                Letters(chosen), now, $"Would move {Count(chosen.Count, "message")}; nothing was changed (--dry-run).");
            WriteRefused(refused);
            return ExitCodes.Success;
        }

        if (operatorKey is null && chosen.Count > 0)
        {
            console.Error.WriteLine($"warning: no operator key (--operator-key, {OperatorKey.KeyVariable}): the messages keep their original "
                + "signature, which the services refuse once it is older than their replay window.");
        }

        var failures = outcome.With(MessageResult.Failed);
        var moved = outcome.With(MessageResult.Moved).Count;
        var failed = failures.Select(x => new { x.Letter.Id, queue = x.Letter.SourceQueue, Error = x.Detail }).ToList();
        var matched = outcome.Messages.Count;
        WriteOutcome(new { dryRun, matched, moved, refused = refusedRows, forced = forcedRows, failed }, [], now,
            $"Moved {moved} of {Count(matched, "message")} back to {(matched == 1 ? "its queue" : "their queues")}.");
        if (failures.Count > 0 && !json)
        {
            console.Out.WriteLine("Still in the error queue:");
            TextTable.Write(console.Out, ["MESSAGE ID", "QUEUE", "ERROR"],
                failures.Select(x => (IReadOnlyList<string>)[x.Letter.Id, x.Letter.SourceQueue, x.Detail ?? ""]).ToList());
        }

        WriteRefused(refused);
        return failures.Count == 0 && refused.Count == 0 ? ExitCodes.Success : ExitCodes.PartlyFailed;
    }

    void WriteRefused(IReadOnlyList<MessageOutcome> refused)
    {
        if (refused.Count == 0 || json)
            return;

        console.Out.WriteLine($"Refused {Count(refused.Count, "message")}, still in the error queue (read it with errors show; "
            + "re-sign one anyway by naming it: --message-id <id>):");
        TextTable.Write(console.Out, ["MESSAGE ID", "QUEUE", "REFUSED"],
            refused.Select(x => (IReadOnlyList<string>)[x.Letter.Id, x.Letter.SourceQueue, x.Detail ?? ""]).ToList());
    }

    /// <summary>Removes the matches for good, after the operator typed the count or <c>y</c> (or passed <c>--yes</c>).</summary>
    public async Task<int> DiscardAsync(DeadLetterFilter filter, bool confirmed, CancellationToken cancellationToken)
    {
        var outcome = await _operations.DiscardAsync(filter, matches =>
        {
            if (!json)
                DeadLetterOutput.WriteTable(console.Out, matches, clock.GetUtcNow());
            return confirmed || Confirm(matches.Count);
        }, cancellationToken);
        if (NotFound(filter, outcome) is { } notFound)
            return notFound;

        var matched = outcome.Messages.Count;
        if (outcome.With(MessageResult.NotConfirmed).Count > 0)
        {
            WriteOutcome(new { matched, discarded = 0 }, [], outcome.At, "Not confirmed: nothing was discarded.");
            return ExitCodes.NotConfirmed;
        }

        WriteOutcome(new { matched, discarded = matched }, [], outcome.At, $"Discarded {Count(matched, "message")}.");
        return ExitCodes.Success;
    }

    /// <summary>The exit code when the filter named a queue or message that is not there (said on stderr), else null.</summary>
    int? NotFound(DeadLetterFilter filter, DeadLetterOutcome outcome)
    {
        switch (outcome.Status)
        {
            case SelectionStatus.NoSuchQueue:
                console.Error.WriteLine($"No error queue '{filter.Queue}' in virtual host '{settings.EffectiveVirtualHost}'.");
                return ExitCodes.NotFound;
            case SelectionStatus.NoSuchMessage:
                console.Error.WriteLine($"No message '{filter.MessageId ?? string.Join("', '", filter.MessageIds!)}' in the error queues of virtual host '{settings.EffectiveVirtualHost}'.");
                return ExitCodes.NotFound;
            default:
                return null;
        }
    }

    bool Confirm(int count)
    {
        var answer = Terminal.Ask(console.Error, console.In, $"Discard {Count(count, "message")} for good? Type {count} or y to confirm:");
        return answer == count.ToString(System.Globalization.CultureInfo.InvariantCulture)
            || string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase)
            || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }

    void WriteOutcome(object result, IReadOnlyList<DeadLetter> listed, DateTimeOffset now, string summary)
    {
        if (json)
        {
            DeadLetterOutput.WriteJson(console.Out, result);
            return;
        }

        if (listed.Count > 0)
            DeadLetterOutput.WriteTable(console.Out, listed, now);
        console.Out.WriteLine(summary);
    }

    static List<DeadLetter> Letters(IEnumerable<MessageOutcome> messages) => messages.Select(x => x.Letter).ToList();

    static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    static string Render(Action<TextWriter> write)
    {
        using var writer = new StringWriter();
        write(writer);
        return writer.ToString().TrimEnd();
    }
}
