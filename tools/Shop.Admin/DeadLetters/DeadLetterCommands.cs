using RabbitMQ.Client.Exceptions;
using Shop.Admin.Broker;
using Shop.Admin.Cli;

namespace Shop.Admin.DeadLetters;

/// <summary>
/// What <c>shop-admin errors …</c> does. Every command takes the messages present in the selected error queues,
/// unacknowledged, acts on those matching the filter, and hands everything else back in its original order.
/// </summary>
public sealed class DeadLetterCommands(BrokerSettings settings, AdminConsole console, bool json, TimeProvider clock,
    OperatorKey? operatorKey = null, PublicKeys? publicKeys = null)
{
    public Task<int> ListAsync(DeadLetterFilter filter, CancellationToken cancellationToken) =>
        RunAsync(filter, (_, matches, now) =>
        {
            if (json)
            {
                DeadLetterOutput.WriteJson(console.Out, matches.Select(x => DeadLetterOutput.Summary(x.Letter, now)));
                return Task.FromResult(ExitCodes.Success);
            }

            if (matches.Count > 0)
                DeadLetterOutput.WriteTable(console.Out, Letters(matches), now);
            var queues = matches.Select(x => x.Letter.ErrorQueue).Distinct().Count();
            console.Out.WriteLine($"{Count(matches.Count, "message")} in {Count(queues, "error queue")}.");
            return Task.FromResult(ExitCodes.Success);
        }, cancellationToken);

    public Task<int> ShowAsync(string messageId, CancellationToken cancellationToken) =>
        RunAsync(new DeadLetterFilter(MessageId: messageId), (_, matches, now) =>
        {
            if (json)
                DeadLetterOutput.WriteJson(console.Out, matches.Select(x => DeadLetterOutput.Details(x.Letter, now)));
            else
                console.Out.WriteLine(string.Join(Environment.NewLine + new string('-', 80) + Environment.NewLine,
                    matches.Select(x => Render(writer => DeadLetterOutput.WriteDetails(writer, x.Letter, now)))));
            return Task.FromResult(ExitCodes.Success);
        }, cancellationToken);

    /// <summary>
    /// Re-publishes each match to its source queue and acknowledges the error-queue copy only after the broker confirmed
    /// the publish; a message that cannot be published stays where it was. Each is re-verified first
    /// (<see cref="RedriveCheck"/>): one that is not validly signed by a sender allowed its types stays in <c>_error</c>,
    /// unless its id is among <paramref name="named"/> — then the tool says what it re-signs, in whose name, and why it
    /// was refused.
    /// </summary>
    public Task<int> RedriveAsync(DeadLetterFilter filter, bool dryRun, IReadOnlyCollection<string> named, CancellationToken cancellationToken) =>
        RunAsync(filter, async (session, matches, now) =>
        {
            var check = new RedriveCheck(publicKeys ?? PublicKeys.Resolve(null));
            var plan = matches.Select(x => (Message: x, Verdict: check.Check(x))).ToList();
            var refused = new List<(HeldMessage Message, RedriveVerdict Verdict, string Why)>();
            var chosen = new List<(HeldMessage Message, RedriveVerdict Verdict)>();
            foreach (var (message, verdict) in plan)
            {
                if (verdict.Refusal is null)
                    chosen.Add((message, verdict));
                else if (!named.Contains(message.Letter.Id, StringComparer.OrdinalIgnoreCase))
                    refused.Add((message, verdict, $"{verdict.Refusal}: {verdict.Detail}"));
                else if (!verdict.CanForce)
                    refused.Add((message, verdict, $"{verdict.Refusal}: {verdict.Detail}; no one service may send {string.Join(" + ", message.Letter.MessageTypes)}, so it can never go back"));
                else if (operatorKey is null)
                    refused.Add((message, verdict, $"{verdict.Refusal}: {verdict.Detail}; only the operator key (--operator-key) can re-sign it"));
                else
                    chosen.Add((message, verdict));
            }

            var forced = chosen.Where(x => x.Verdict.Refusal is not null).ToList();
            if (!json)
            {
                foreach (var (message, verdict) in forced)
                {
                    console.Out.WriteLine(Terminal.Escape(
                        $"{(dryRun ? "Would re-sign" : "Re-signing")} with the operator key, in the name of '{verdict.Original!.Signer}', message {message.Letter.Id} "
                        + $"({string.Join(", ", message.Letter.MessageTypes)}) for queue {message.Letter.SourceQueue}, although it was refused: {verdict.Refusal}: {verdict.Detail}."));
                }
            }

            var refusedRows = refused.Select(x => new { x.Message.Letter.Id, queue = x.Message.Letter.SourceQueue, refusal = x.Verdict.Refusal, x.Why }).ToList();
            var forcedRows = forced.Select(x => new { x.Message.Letter.Id, queue = x.Message.Letter.SourceQueue, refusal = x.Verdict.Refusal, onBehalfOf = x.Verdict.Original!.Signer }).ToList();
            if (dryRun)
            {
                WriteOutcome(new { dryRun, matched = matches.Count, moved = 0, refused = refusedRows, forced = forcedRows, failed = Array.Empty<object>() },
                    chosen.Select(x => x.Message).ToList(), now,
                    $"Would move {Count(chosen.Count, "message")}; nothing was changed (--dry-run).");
                WriteRefused(refused);
                return ExitCodes.Success;
            }

            if (operatorKey is null && chosen.Count > 0)
            {
                console.Error.WriteLine($"warning: no operator key (--operator-key, {OperatorKey.KeyVariable}): the messages keep their original "
                    + "signature, which the services refuse once it is older than their replay window.");
            }

            var failures = new List<(HeldMessage Message, string Error)>();
            foreach (var (message, verdict) in chosen)
            {
                try
                {
                    await session.RepublishAsync(message, operatorKey, verdict.Original!, clock.GetUtcNow(), cancellationToken);
                }
                catch (PublishException exception)
                {
                    failures.Add((message, exception is PublishReturnException returned
                        ? $"returned by the broker ({returned.ReplyText}): does queue '{message.Letter.SourceQueue}' exist?"
                        : "refused by the broker (nack)"));
                    continue;
                }

                await session.AcknowledgeAsync(message, cancellationToken);
            }

            var moved = chosen.Count - failures.Count;
            var failed = failures.Select(x => new { x.Message.Letter.Id, queue = x.Message.Letter.SourceQueue, x.Error }).ToList();
            WriteOutcome(new { dryRun, matched = matches.Count, moved, refused = refusedRows, forced = forcedRows, failed }, [], now,
                $"Moved {moved} of {Count(matches.Count, "message")} back to {(matches.Count == 1 ? "its queue" : "their queues")}.");
            if (failures.Count > 0 && !json)
            {
                console.Out.WriteLine("Still in the error queue:");
                TextTable.Write(console.Out, ["MESSAGE ID", "QUEUE", "ERROR"],
                    failures.Select(x => (IReadOnlyList<string>)[x.Message.Letter.Id, x.Message.Letter.SourceQueue, x.Error]).ToList());
            }

            WriteRefused(refused);
            return failures.Count == 0 && refused.Count == 0 ? ExitCodes.Success : ExitCodes.PartlyFailed;
        }, cancellationToken);

    void WriteRefused(IReadOnlyList<(HeldMessage Message, RedriveVerdict Verdict, string Why)> refused)
    {
        if (refused.Count == 0 || json)
            return;

        console.Out.WriteLine($"Refused {Count(refused.Count, "message")}, still in the error queue (read it with errors show; "
            + "re-sign one anyway by naming it: --message-id <id>):");
        TextTable.Write(console.Out, ["MESSAGE ID", "QUEUE", "REFUSED"],
            refused.Select(x => (IReadOnlyList<string>)[x.Message.Letter.Id, x.Message.Letter.SourceQueue, x.Why]).ToList());
    }

    /// <summary>Removes the matches for good, after the operator typed the count or <c>y</c> (or passed <c>--yes</c>).</summary>
    public Task<int> DiscardAsync(DeadLetterFilter filter, bool confirmed, CancellationToken cancellationToken) =>
        RunAsync(filter, async (session, matches, now) =>
        {
            if (matches.Count > 0 && !json)
                DeadLetterOutput.WriteTable(console.Out, Letters(matches), now);

            if (matches.Count > 0 && !confirmed && !Confirm(matches.Count))
            {
                WriteOutcome(new { matched = matches.Count, discarded = 0 }, [], now, "Not confirmed: nothing was discarded.");
                return ExitCodes.NotConfirmed;
            }

            foreach (var message in matches)
                await session.AcknowledgeAsync(message, cancellationToken);
            WriteOutcome(new { matched = matches.Count, discarded = matches.Count }, [], now, $"Discarded {Count(matches.Count, "message")}.");
            return ExitCodes.Success;
        }, cancellationToken);

    async Task<int> RunAsync(DeadLetterFilter filter, Func<ErrorQueueSession, IReadOnlyList<HeldMessage>, DateTimeOffset, Task<int>> act,
        CancellationToken cancellationToken)
    {
        var queues = (await ManagementApi.ErrorQueuesAsync(settings, cancellationToken)).Where(filter.Includes).ToList();
        if (filter.Queue is not null && queues.Count == 0)
        {
            console.Error.WriteLine($"No error queue '{filter.Queue}' in virtual host '{settings.EffectiveVirtualHost}'.");
            return ExitCodes.NotFound;
        }

        await using var session = await ErrorQueueSession.OpenAsync(settings, cancellationToken);
        var taken = await session.TakeAsync(queues, cancellationToken);
        var now = clock.GetUtcNow();
        var matches = taken.Where(x => filter.Matches(x.Letter, now)).ToList();

        int exitCode;
        if ((filter.MessageId is not null || filter.MessageIds is not null) && matches.Count == 0)
        {
            console.Error.WriteLine($"No message '{filter.MessageId ?? string.Join("', '", filter.MessageIds!)}' in the error queues of virtual host '{settings.EffectiveVirtualHost}'.");
            exitCode = ExitCodes.NotFound;
        }
        else
        {
            exitCode = await act(session, matches, now);
        }

        await session.RequeueHeldAsync(cancellationToken);
        return exitCode;
    }

    bool Confirm(int count)
    {
        var answer = Terminal.Ask(console.Error, console.In, $"Discard {Count(count, "message")} for good? Type {count} or y to confirm:");
        return answer == count.ToString(System.Globalization.CultureInfo.InvariantCulture)
            || string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase)
            || string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase);
    }

    void WriteOutcome(object result, IReadOnlyList<HeldMessage> listed, DateTimeOffset now, string summary)
    {
        if (json)
        {
            DeadLetterOutput.WriteJson(console.Out, result);
            return;
        }

        if (listed.Count > 0)
            DeadLetterOutput.WriteTable(console.Out, Letters(listed), now);
        console.Out.WriteLine(summary);
    }

    static List<DeadLetter> Letters(IEnumerable<HeldMessage> messages) => messages.Select(x => x.Letter).ToList();

    static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    static string Render(Action<TextWriter> write)
    {
        using var writer = new StringWriter();
        write(writer);
        return writer.ToString().TrimEnd();
    }
}
