using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Shop.Messaging.Configuration;

/// <summary>
/// A service without its broker credentials stops at start-up instead of trying a shared default: each service has a
/// user of its own whose permissions allow only its own queues and messages (docs/operations.md). Local development
/// values live in each service's <c>appsettings.Development.json</c>, nowhere in code.
/// </summary>
public static class RabbitMqOptionsValidation
{
    public const string MissingUsername =
        "RabbitMq:Username is not set: every service needs its own broker user (RabbitMq__Username); there is no default.";

    public const string MissingPassword =
        "RabbitMq:Password is not set: every service needs its broker user's password (RabbitMq__Password); there is no default.";

    public static OptionsBuilder<RabbitMqOptions> RequireCredentials(this OptionsBuilder<RabbitMqOptions> options) => options
        .Validate(x => !string.IsNullOrWhiteSpace(x.Username), MissingUsername)
        .Validate(x => !string.IsNullOrEmpty(x.Password), MissingPassword)
        .ValidateOnStart();
}
