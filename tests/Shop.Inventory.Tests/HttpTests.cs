using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Shop.Contracts;

namespace Shop.Inventory.Tests;

[Collection(InventoryCollection.Name)]
public sealed class When_stock_is_read_and_set_over_HTTP(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_answer_404_ProblemDetails_for_an_unknown_SKU()
    {
        var response = await fixture.Service.Http.GetAsync("/stock/NO-SUCH-SKU");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Should_create_then_set_the_units_on_hand()
    {
        var sku = await fixture.NewSku(5);
        var json = await fixture.Service.Http.GetStringAsync($"/stock/{sku}");
        Assert.Equal($$"""{"sku":"{{sku}}","onHand":5,"reserved":0,"available":5}""", json);

        var response = await fixture.SetOnHand(sku, 12);

        response.EnsureSuccessStatusCode();
        Assert.Equal(new(sku, 12, 0, 12), await response.Content.ReadFromJsonAsync<Apis.StockView>(InventoryFixture.Json));
        Assert.Equal(new(sku, 12, 0, 12), await fixture.Stock(sku));
    }

    [Fact]
    public async Task Should_refuse_a_negative_quantity()
    {
        var sku = await fixture.NewSku(5);

        var response = await fixture.SetOnHand(sku, -1);

        await AssertValidationProblem(response, "onHand");
        Assert.Equal(5, (await fixture.Stock(sku)).OnHand);
    }

    [Fact]
    public async Task Should_refuse_less_than_is_reserved()
    {
        var sku = await fixture.NewSku(5);
        var orderId = Guid.NewGuid();
        await fixture.Reserve(orderId, new StockLine(sku, 3));
        await fixture.Bus.WaitFor<StockReserved>(x => x.OrderId == orderId, "StockReserved");

        var response = await fixture.SetOnHand(sku, 2);

        await AssertValidationProblem(response, "onHand");
        Assert.Equal(new(sku, 5, 3, 2), await fixture.Stock(sku));
        (await fixture.SetOnHand(sku, 3)).EnsureSuccessStatusCode();
    }

    static async Task AssertValidationProblem(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        Assert.Contains(field, problem!.Errors.Keys);
    }
}
