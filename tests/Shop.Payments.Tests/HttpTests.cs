using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shop.Payments.Data;
using Shop.Payments.Domain;

namespace Shop.Payments.Tests;

[Collection(PaymentsCollection.Name)]
public sealed class When_payments_are_read_over_HTTP(PaymentsFixture fixture)
{
    [Theory]
    [InlineData("/payments?orderId=not-a-guid")]
    [InlineData("/payments")]
    public async Task Should_answer_400_ProblemDetails_without_a_valid_order_id(string url)
    {
        var response = await fixture.Service.Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains("orderId", problem!.Errors.Keys);
    }

    [Fact]
    public async Task Should_answer_an_empty_list_for_an_unknown_order() =>
        Assert.Empty(await fixture.Payments(Guid.NewGuid()));

    [Fact]
    public async Task Should_list_the_records_in_camel_case_with_kinds_by_name()
    {
        var orderId = Guid.NewGuid();
        await fixture.Charge(orderId, 5m);
        await fixture.Bus.WaitFor<Contracts.PaymentCaptured>(x => x.OrderId == orderId, "PaymentCaptured");

        var json = await fixture.Service.Http.GetStringAsync($"/payments?orderId={orderId}");

        Assert.Contains("\"kind\":\"Capture\"", json);
        Assert.Contains("\"amount\":5", json);
        Assert.Contains("\"paymentId\":", json);
    }
}

[Collection(PaymentsCollection.Name)]
public sealed class When_code_tries_to_store_a_second_capture(PaymentsFixture fixture)
{
    [Fact]
    public async Task Should_be_refused_by_the_unique_index()
    {
        var orderId = Guid.NewGuid();
        await using var scope = fixture.Service.Services.CreateAsyncScope();
        var dbContext = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
        dbContext.Payments.AddRange(
            new PaymentRecord { OrderId = orderId, Sequence = 1, Kind = PaymentRecordKind.Capture, PaymentId = Guid.NewGuid(), Amount = 1m, At = DateTimeOffset.UtcNow },
            new PaymentRecord { OrderId = orderId, Sequence = 2, Kind = PaymentRecordKind.Capture, PaymentId = Guid.NewGuid(), Amount = 1m, At = DateTimeOffset.UtcNow });

        await Assert.ThrowsAsync<DbUpdateException>(() => dbContext.SaveChangesAsync());
    }
}
