using Npgsql;
using Shop.Data;

namespace Shop.Messaging.Tests;

public sealed class When_a_service_tunes_its_postgres_connection_string
{
    [Fact]
    public void Should_prepare_statements_and_skip_the_reset_on_close_by_default()
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionTuning.Apply("Host=127.0.0.1;Database=orders"));

        Assert.Equal(64, tuned.MaxAutoPrepare);
        Assert.True(tuned.NoResetOnClose);
        Assert.Equal("orders", tuned.Database);
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=127.0.0.1;maxautoprepare=0;noresetonclose=false")]
    public void Should_keep_what_the_connection_string_says(string connectionString)
    {
        var tuned = new NpgsqlConnectionStringBuilder(PostgresConnectionTuning.Apply(connectionString));

        Assert.Equal(0, tuned.MaxAutoPrepare);
        Assert.False(tuned.NoResetOnClose);
    }
}
