using System.Reflection;
using MassTransit;
using MassTransit.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Shop.Messaging.Routing;

public static class RoutingHeaderExtensions
{
    /// <summary>
    /// Publishes the messages of <paramref name="properties"/> with their routing headers. A service that publishes a
    /// routed message registers the contracts' table (<c>AddRoutingHeaders(MessageRoutes.Headers, MessageRoutes.HeaderOf)</c>);
    /// <c>AddShopMessaging</c> applies it to the bus.
    /// </summary>
    public static IServiceCollection AddRoutingHeaders(this IServiceCollection services, IReadOnlyDictionary<Type, IReadOnlyList<string>> properties,
        Func<string, string> headerOf)
    {
        services.Replace(ServiceDescriptor.Singleton(new RoutingHeaderMap(properties, headerOf)));
        return services;
    }

    /// <summary>The registered map's headers on every publish of this bus (none registered: nothing changes).</summary>
    public static void UseRoutingHeaders(this IBusFactoryConfigurator bus, IRegistrationContext context) =>
        bus.UseRoutingHeaders(context.GetService<RoutingHeaderMap>() ?? RoutingHeaderMap.Empty);

    public static void UseRoutingHeaders(this IBusFactoryConfigurator bus, RoutingHeaderMap map)
    {
        if (map.Routes.Count == 0)
            return;
        bus.ConfigurePublish(publish =>
        {
            foreach (var (type, headers) in map.Routes)
                AddFilter.MakeGenericMethod(type).Invoke(null, [publish, headers]);
        });
    }

    static readonly MethodInfo AddFilter = typeof(RoutingHeaderExtensions).GetMethod(nameof(Add), BindingFlags.NonPublic | BindingFlags.Static)!;

    static void Add<T>(IPublishPipeConfigurator publish, IReadOnlyList<RoutingHeader> headers)
        where T : class =>
        publish.AddPipeSpecification(new FilterPipeSpecification<PublishContext<T>>(new RoutingHeaderFilter<T>(headers)));
}
