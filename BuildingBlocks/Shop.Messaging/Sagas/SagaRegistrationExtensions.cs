using MassTransit;
using MassTransit.Configuration;
using MassTransit.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Shop.Messaging.Sagas;

public static class SagaRegistrationExtensions
{
    /// <summary>
    /// Stores this saga in the service's DbContext (the one given to <c>AddShopMessaging</c>), with optimistic
    /// concurrency. <c>AddShopMessaging</c> already makes this the default for every saga; call it to be explicit.
    /// </summary>
    public static ISagaRegistrationConfigurator<TSaga> EfCoreRepository<TSaga>(this ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga
    {
        configurator.Repository(RegisterEfCoreRepository);
        return configurator;
    }

    internal static void RegisterEfCoreRepository<TSaga>(ISagaRepositoryRegistrationConfigurator<TSaga> repository)
        where TSaga : class, ISaga
    {
        repository.RegisterLoadSagaRepository<TSaga, EfSagaRepositoryContextFactory<TSaga>>();
        repository.RegisterQuerySagaRepository<TSaga, EfSagaRepositoryContextFactory<TSaga>>();
        repository.RegisterSagaRepository<TSaga, DbContext, SagaConsumeContextFactory<DbContext, TSaga>, EfSagaRepositoryContextFactory<TSaga>>();
    }

    /// <summary>
    /// Maps a saga instance as a plain, readable row: key <c>CorrelationId</c> (never generated), <c>CurrentState</c> as
    /// text, and <c>Version</c> as the optimistic concurrency token.
    /// </summary>
    public static EntityTypeBuilder<TSaga> MapSagaState<TSaga>(this EntityTypeBuilder<TSaga> entity)
        where TSaga : class, SagaStateMachineInstance, ISagaVersion
    {
        entity.HasKey(x => x.CorrelationId);
        entity.Property(x => x.CorrelationId).ValueGeneratedNever();
        entity.Property(x => x.Version).IsConcurrencyToken();
        entity.Property<string>("CurrentState").HasMaxLength(64).IsRequired();
        entity.HasIndex("CurrentState");
        return entity;
    }
}

/// <summary>Makes the EF Core repository the default for every saga registered on the bus.</summary>
sealed class EfCoreSagaRepositoryProvider : ISagaRepositoryRegistrationProvider
{
    public void Configure<TSaga>(ISagaRegistrationConfigurator<TSaga> configurator)
        where TSaga : class, ISaga =>
        configurator.EfCoreRepository();
}
