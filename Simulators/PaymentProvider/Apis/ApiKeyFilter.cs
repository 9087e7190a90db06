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
    public const string ReadOnlyPrefix = "rk_";
    public const int MinLength = 32;

    readonly (Merchant Merchant, byte[] Hash)[] _keys;

    public MerchantKeys(IOptions<ProviderOptions> options)
    {
        var keys = new List<(Merchant, byte[])>();
        foreach (var (merchant, settings) in options.Value.Merchants)
        {
            // The prefix says what a key may do, so a restricted key can never be configured as a secret one by mistake.
            var prefix = settings.ReadOnly ? ReadOnlyPrefix : Prefix;
            var key = settings.Resolve();
            if (key is null || !key.StartsWith(prefix, StringComparison.Ordinal) || key.Length < MinLength)
                throw new InvalidOperationException(
                    $"{ProviderOptions.Section}:Merchants:{merchant}: ApiKey (or ApiKeyFile) must give a {(settings.ReadOnly ? "restricted" : "secret")} key, {prefix} and at least {MinLength - prefix.Length} more characters.");
            keys.Add((new Merchant(merchant, settings.ReadOnly), Hash(key)));
        }

        if (keys.Count == 0)
            throw new InvalidOperationException($"No merchant key: set {ProviderOptions.Section}:Merchants:<name>:ApiKeyFile (or :ApiKey). "
                                                + "Locally, bash scripts/dev-keys.sh writes .run/payment-provider.key.");
        _keys = [.. keys];
    }

    /// <summary>The merchant whose key this is, or null.</summary>
    public Merchant? MerchantOf(string? key)
    {
        if (key is null)
            return null;
        var hash = Hash(key);
        Merchant? found = null;
        foreach (var (merchant, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
                found = merchant;
        }

        return found;
    }

    static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}

/// <param name="ReadOnly">A restricted key: GET only.</param>
public sealed record Merchant(string Name, bool ReadOnly);

/// <summary>Every API call carries <c>Authorization: Bearer sk_…</c> of a merchant; anything else is 401, with nothing done.</summary>
sealed class ApiKeyFilter(MerchantKeys keys, ILogger<ApiKeyFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        var key = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        if (keys.MerchantOf(key) is { } merchant)
        {
            var method = context.HttpContext.Request.Method;
            if (merchant.ReadOnly && !HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
            {
                logger.LogWarning("{Method} {Path} refused: the restricted key of {Merchant} may only read", method,
                    context.HttpContext.Request.Path, merchant.Name);
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                    detail: "A restricted key (rk_…) may only read charges.",
                    extensions: new Dictionary<string, object?> { ["code"] = ProblemCodes.ReadOnlyKey });
            }

            context.HttpContext.Items[nameof(MerchantKeys)] = merchant.Name;
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
