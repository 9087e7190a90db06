namespace Shop.Admin.Cli;

/// <summary>What <c>shop-admin</c> returns to the shell (also listed in its help and the README).</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command line is invalid (System.CommandLine's own code for parse errors).</summary>
    public const int InvalidArguments = 1;

    /// <summary><c>orders stuck</c> found stuck orders (so a script or a probe can alert on it).</summary>
    public const int StuckOrders = 1;

    /// <summary>No message with the given message id is in any error queue, or the named error queue does not exist.</summary>
    public const int NotFound = 2;

    /// <summary>Some messages could not be re-published, or were refused (their signature does not verify); they stay in their error queue.</summary>
    public const int PartlyFailed = 3;

    /// <summary>A discard was not confirmed; nothing was removed.</summary>
    public const int NotConfirmed = 4;

    /// <summary>The broker or its management API could not be reached, or refused a request.</summary>
    public const int BrokerUnavailable = 5;

    /// <summary>The Orders database could not be reached, or refused the query.</summary>
    public const int DatabaseUnavailable = 6;

    public const string Help = """
        Exit codes: 0 success; 1 invalid command line, or (orders stuck) stuck orders found; 2 message id or error queue
        not found; 3 some messages could not be re-driven or were refused (they stay in _error); 4 discard not confirmed; 5 broker
        unreachable; 6 Orders database unreachable; 7 Analytics unreachable or refused the request.
        """;
}
