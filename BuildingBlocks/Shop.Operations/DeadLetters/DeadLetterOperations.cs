using RabbitMQ.Client.Exceptions;
using Shop.Operations.Broker;

namespace Shop.Operations.DeadLetters;

/// <summary>
/// The operations on dead letters, without any output: each takes the messages present in the selected error queues,
/// unacknowledged (so the broker keeps owning every one), acts on those matching the filter, hands everything else back
/// in its original order and returns what happened to each match. shop-admin formats the outcome for a terminal, the
/// console for a page and its audit table.
/// </summary>
public sealed class DeadLetterOperations(BrokerSettings settings, TimeProvider clock, OperatorKey? operatorKey = null, PublicKeys? publicKeys = null)
{
    public BrokerSettings Settings => settings;

    /// <summary>Reads the matches and gives every message back (a get-and-requeue: never on a timer).</summary>
    public Task<DeadLetterOutcome> ListAsync(DeadLetterFilter filter, CancellationToken cancellationToken) =>
        RunAsync(filter, (_, matches, _) => Task.FromResult<IReadOnlyList<MessageOutcome>>(
            [.. matches.Select(x => new MessageOutcome(x.Letter, MessageResult.Listed))]), cancellationToken);

    /// <summary>
    /// Re-publishes each match to its source queue and acknowledges the error-queue copy only after the broker confirmed
    /// the publish; a message that cannot be published stays where it was. Each is re-verified first
    /// (<see cref="RedriveCheck"/>): one that is not validly signed by a sender allowed its types stays in <c>_error</c>
    /// (<see cref="MessageResult.Refused"/>), unless its id is among <paramref name="named"/> and the operator key can
    /// re-sign it in the name of the one service allowed its types (<see cref="MessageOutcome.Forced"/>).
    /// </summary>
    public Task<DeadLetterOutcome> RedriveAsync(DeadLetterFilter filter, bool dryRun, IReadOnlyCollection<string> named,
        CancellationToken cancellationToken) =>
        RunAsync(filter, async (session, matches, _) =>
        {
            var check = new RedriveCheck(publicKeys ?? PublicKeys.Resolve(null));
            var outcomes = new List<MessageOutcome>();
            foreach (var message in matches)
            {
                var verdict = check.Check(message);
                var refusal = verdict.Refusal is null ? null : StillRefused(message.Letter, verdict, named);
                if (refusal is not null)
                {
                    outcomes.Add(new MessageOutcome(message.Letter, MessageResult.Refused, verdict.Refusal, refusal));
                    continue;
                }

                var forced = verdict.Refusal is not null;
                var detail = forced ? verdict.Detail : null;
                if (dryRun)
                {
                    outcomes.Add(new MessageOutcome(message.Letter, MessageResult.WouldMove, verdict.Refusal, detail, forced ? verdict.Original!.Signer : null));
                    continue;
                }

                try
                {
                    await session.RepublishAsync(message, operatorKey, verdict.Original!, clock.GetUtcNow(), cancellationToken);
                }
                catch (PublishException exception)
                {
                    outcomes.Add(new MessageOutcome(message.Letter, MessageResult.Failed, verdict.Refusal,
                        exception is PublishReturnException returned
                            ? $"returned by the broker ({returned.ReplyText}): does queue '{message.Letter.SourceQueue}' exist?"
                            : "refused by the broker (nack)",
                        forced ? verdict.Original!.Signer : null));
                    continue;
                }

                await session.AcknowledgeAsync(message, cancellationToken);
                outcomes.Add(new MessageOutcome(message.Letter, MessageResult.Moved, verdict.Refusal, detail, forced ? verdict.Original!.Signer : null));
            }

            return outcomes;
        }, cancellationToken);

    /// <summary>
    /// Removes the matches for good once <paramref name="confirm"/> agrees (asked while they are held, so what was
    /// confirmed is exactly what goes); not confirmed, every one goes back (<see cref="MessageResult.NotConfirmed"/>).
    /// </summary>
    public Task<DeadLetterOutcome> DiscardAsync(DeadLetterFilter filter, Func<IReadOnlyList<DeadLetter>, bool> confirm,
        CancellationToken cancellationToken) =>
        RunAsync(filter, async (session, matches, _) =>
        {
            if (matches.Count > 0 && !confirm([.. matches.Select(x => x.Letter)]))
                return [.. matches.Select(x => new MessageOutcome(x.Letter, MessageResult.NotConfirmed))];

            var outcomes = new List<MessageOutcome>();
            foreach (var message in matches)
            {
                await session.AcknowledgeAsync(message, cancellationToken);
                outcomes.Add(new MessageOutcome(message.Letter, MessageResult.Discarded));
            }

            return outcomes;
        }, cancellationToken);

    /// <summary>Why a refused message stays refused; null when the operator named it and the operator key can re-sign it.</summary>
    string? StillRefused(DeadLetter letter, RedriveVerdict verdict, IReadOnlyCollection<string> named)
    {
        if (!named.Contains(letter.Id, StringComparer.OrdinalIgnoreCase))
            return $"{verdict.Refusal}: {verdict.Detail}";
        if (!verdict.CanForce)
            return $"{verdict.Refusal}: {verdict.Detail}; no one service may send {string.Join(" + ", letter.MessageTypes)}, so it can never go back";
        return operatorKey is null ? $"{verdict.Refusal}: {verdict.Detail}; only the operator key (--operator-key) can re-sign it" : null;
    }

    async Task<DeadLetterOutcome> RunAsync(DeadLetterFilter filter,
        Func<ErrorQueueSession, IReadOnlyList<HeldMessage>, DateTimeOffset, Task<IReadOnlyList<MessageOutcome>>> act, CancellationToken cancellationToken)
    {
        var queues = (await ManagementApi.ErrorQueuesAsync(settings, cancellationToken)).Where(filter.Includes).ToList();
        if (filter.Queue is not null && queues.Count == 0)
            return new DeadLetterOutcome(SelectionStatus.NoSuchQueue, [], clock.GetUtcNow());

        await using var session = await ErrorQueueSession.OpenAsync(settings, cancellationToken);
        var taken = await session.TakeAsync(queues, cancellationToken);
        var now = clock.GetUtcNow();
        var matches = taken.Where(x => filter.Matches(x.Letter, now)).ToList();

        DeadLetterOutcome outcome;
        if ((filter.MessageId is not null || filter.MessageIds is not null) && matches.Count == 0)
            outcome = new DeadLetterOutcome(SelectionStatus.NoSuchMessage, [], now);
        else
            outcome = new DeadLetterOutcome(SelectionStatus.Selected, await act(session, matches, now), now);

        await session.RequeueHeldAsync(cancellationToken);
        return outcome;
    }
}

/// <summary>What an operation found and did, message by message, in queue order.</summary>
/// <param name="At">When the messages were taken (ages are computed against it).</param>
public sealed record DeadLetterOutcome(SelectionStatus Status, IReadOnlyList<MessageOutcome> Messages, DateTimeOffset At)
{
    public IReadOnlyList<MessageOutcome> With(MessageResult result) => [.. Messages.Where(x => x.Result == result)];
}

public enum SelectionStatus
{
    /// <summary>The filter was applied (it may have matched nothing).</summary>
    Selected,

    /// <summary>The filter names an error queue the virtual host does not have.</summary>
    NoSuchQueue,

    /// <summary>The filter names message ids none of which is in the error queues.</summary>
    NoSuchMessage,
}

/// <summary>What happened to one message.</summary>
/// <param name="Refusal">Why the check refused it (unsigned, unknown-key, forged, wrong-sender), also on a forced re-drive.</param>
/// <param name="Detail">For <see cref="MessageResult.Refused"/> the whole reason, for <see cref="MessageResult.Failed"/>
/// the broker's error, for a forced re-drive the check's detail.</param>
/// <param name="OnBehalfOf">On a forced re-drive: in whose name the operator key re-signed it.</param>
public sealed record MessageOutcome(DeadLetter Letter, MessageResult Result, string? Refusal = null, string? Detail = null, string? OnBehalfOf = null)
{
    public bool Forced => OnBehalfOf is not null;
}

public enum MessageResult
{
    /// <summary>Read and given back.</summary>
    Listed,

    /// <summary>Published to its source queue (confirmed) and removed from its error queue.</summary>
    Moved,

    /// <summary>A dry run: would have been moved.</summary>
    WouldMove,

    /// <summary>Failed the signature check: still in its error queue.</summary>
    Refused,

    /// <summary>The broker returned or nacked the publish: still in its error queue.</summary>
    Failed,

    /// <summary>Removed from its error queue for good.</summary>
    Discarded,

    /// <summary>A discard the operator did not confirm: still in its error queue.</summary>
    NotConfirmed,
}
