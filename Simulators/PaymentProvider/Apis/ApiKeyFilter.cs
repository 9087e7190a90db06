using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Shop.PaymentProvider.Apis;

/// <summary>
/// The merchants' secret keys, hashed once at start-up: a request is matched by comparing SHA-256 hashes in fixed time,
/// so neither the comparison's timing nor a memory dump of the table gives a key away.
/// </summary>
public sealed class MerchantKeys
{
    public const string Prefix = "sk_";
    public const int MinLength = 32;

    readonly (string Merchant, byte[] Hash)[] _keys;

    public MerchantKeys(IOptions<ProviderOptions> options)
    {
        var keys = new List<(string, byte[])>();
        foreach (var (merchant, settings) in options.Value.Merchants)
        {
            var key = settings.Resolve();
            if (key is null || !key.StartsWith(Prefix, StringComparison.Ordinal) || key.Length < MinLength)
                throw new InvalidOperationException(
                    $"{ProviderOptions.Section}:Merchants:{merchant}: ApiKey (or ApiKeyFile) must give a secret key, {Prefix} and at least {MinLength - Prefix.Length} more characters.");
            keys.Add((merchant, Hash(key)));
        }

        if (keys.Count == 0)
            throw new InvalidOperationException($"No merchant key: set {ProviderOptions.Section}:Merchants:<name>:ApiKeyFile (or :ApiKey). "
                                                + "Locally, bash scripts/dev-keys.sh writes .run/payment-provider.key.");
        _keys = [.. keys];
    }

    /// <summary>The merchant whose key this is, or null.</summary>
    public string? MerchantOf(string? key)
    {
        if (key is null)
            return null;
        var hash = Hash(key);
        string? found = null;
        foreach (var (merchant, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                found = merchant;
        }

        return found;
    }

    static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <summary>Every API call carries <c>Authorization: Bearer sk_…</c> of a merchant; anything else is 401, with nothing done.</summary>
sealed class ApiKeyFilter(MerchantKeys keys, ILogger<ApiKeyFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (keys.MerchantOf(key) is { } merchant)
        {
            context.HttpContext.Items[nameof(MerchantKeys)] = merchant;
            return await next(context);
        }

        logger.LogWarning("{Method} {Path} refused: {Reason}", context.HttpContext.Request.Method, context.HttpContext.Request.Path,
            key is null ? "no API key" : "an unknown API key");
        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer realm=\"payment-provider\"";
        return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: "Send the merchant's secret key: Authorization: Bearer sk_….",
            extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.InvalidApiKey });
    }
}
