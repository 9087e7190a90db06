using System.ComponentModel.DataAnnotations;

namespace Shop.Payments.Gateways;

/// <summary>Where the payment provider is and how long to wait for it. Bound from the <c>PaymentProvider</c> section.</summary>
public sealed class PaymentProviderOptions
{
    public const string Section = "PaymentProvider";

    /// <summary>The provider's base address (locally the simulator on port base + 5).</summary>
    [Required]
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// How long one attempt may take. An attempt that times out is not repeated at once: whether it charged is unknown,
    /// and the answer is looked up by idempotency key instead.
    /// </summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of an attempt that failed transiently (5xx such as processing_error, a refused connection).</summary>
    [Range(0, 10)]
    public int Retries { get; set; } = 3;
}
