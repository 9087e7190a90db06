using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Shop.Messaging.Outbox;

/// <summary>
/// Work that must happen only once the current message's transaction has committed — metrics, for one: an attempt
/// that rolls back (and is retried) records nothing. Scoped to one message; resolve it from the consume scope.
/// Outside <c>UseShopOutbox</c> there is no unit of work to wait for, so <see cref="Run"/> runs at once.
/// </summary>
public sealed class AfterCommit(ILogger<AfterCommit> logger)
{
    List<Action>? _actions;
    bool _inUnitOfWork;

    public void Run(Action action)
    {
        if (_inUnitOfWork)
            (_actions ??= []).Add(action);
        else
            action();
    }

    /// <summary>Starts an attempt: actions of an earlier attempt of the same message (rolled back) are forgotten.</summary>
    internal void BeginUnitOfWork()
    {
        _actions = null;
        _inUnitOfWork = true;
    }

    internal void Committed()
    {
        _inUnitOfWork = false;
        if (_actions is null)
            return;

        foreach (var action in _actions)
        {
            try
            {
                action();
            }
            catch (Exception exception)
            {
                // The message is consumed and committed; a failing side effect must not make it look otherwise.
                logger.LogWarning(exception, "An after-commit action failed");
            }
        }

        _actions = null;
    }
}

public static class AfterCommitExtensions
{
    /// <summary>
    /// Runs <paramref name="action"/> once this message's unit of work has committed, or at once where the consumer
    /// runs without one (no <see cref="AfterCommit"/> in its scope, e.g. on the in-memory test harness).
    /// </summary>
    public static void RunAfterCommit(this ConsumeContext context, Action action)
    {
        if (context.TryGetPayload(out IServiceScope? scope)
            && scope.ServiceProvider.GetService<AfterCommit>() is { } afterCommit)
            afterCommit.Run(action);
        else
            action();
    }
}
