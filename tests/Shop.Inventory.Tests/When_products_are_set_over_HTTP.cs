using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Shop.Contracts;
using Shop.Inventory.Apis;

namespace Shop.Inventory.Tests;

/// <summary>The catalog: Inventory owns every product's name and price and publishes each change as ProductUpdated.</summary>
[Collection(InventoryCollection.Name)]
public sealed class When_products_are_set_over_HTTP(InventoryFixture fixture)
{
    [Fact]
    public async Task Should_create_a_product_and_publish_it()
    {
        var sku = NewSku();

        var response = await Put($"/products/{sku}", """{"name":"Teapot","unitPrice":19.99}""");

        response.EnsureSuccessStatusCode();
        var product = await fixture.Service.Http.GetFromJsonAsync<ProductView>($"/products/{sku}", InventoryFixture.Json);
        Assert.Equal((sku, "Teapot", 19.99m, 1L), (product!.Sku, product.Name, product.UnitPrice, product.Version));
        var published = await fixture.Bus.WaitFor<ProductUpdated>(x => x.Sku == sku, "ProductUpdated");
        Assert.Equal((19.99m, 1L), (published.UnitPrice, published.Version));
    }

    [Fact]
    public async Task Should_publish_each_change_with_the_next_version_and_nothing_for_no_change()
    {
        var sku = NewSku();
        (await Put($"/products/{sku}", """{"name":"Teapot","unitPrice":19.99}""")).EnsureSuccessStatusCode();
        (await Put($"/products/{sku}", """{"name":"Teapot","unitPrice":24.00}""")).EnsureSuccessStatusCode();
        (await Put($"/products/{sku}", """{"name":"Teapot","unitPrice":24.00}""")).EnsureSuccessStatusCode();

        var published = await fixture.Bus.WaitForCount<ProductUpdated>(x => x.Sku == sku, 2, "two ProductUpdated");
        Assert.Equal([1L, 2L], published.Select(x => x.Version).Order());
        Assert.Equal(24.00m, published.Single(x => x.Version == 2).UnitPrice);
        await Task.Delay(500);
        Assert.Equal(2, fixture.Bus.Received<ProductUpdated>(x => x.Sku == sku).Count);
    }

    [Fact]
    public async Task Should_take_a_sku_in_any_case_as_one_product()
    {
        var sku = NewSku();
        (await Put($"/products/{sku.ToLowerInvariant()}", """{"name":"Cup","unitPrice":3.00}""")).EnsureSuccessStatusCode();
        (await Put($"/products/{sku}", """{"name":"Cup","unitPrice":4.00}""")).EnsureSuccessStatusCode();

        var product = await fixture.Service.Http.GetFromJsonAsync<ProductView>($"/products/{sku.ToLowerInvariant()}", InventoryFixture.Json);
        Assert.Equal((sku, 4.00m, 2L), (product!.Sku, product.UnitPrice, product.Version));
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"""SELECT count(*) FROM "Products" WHERE upper("Sku") = '{sku}'"""));
    }

    public static TheoryData<string, string> InvalidProducts => new()
    {
        { "{}", "name" },
        { """{"name":"Cup"}""", "unitPrice" },
        { """{"name":"Cup","unitPrice":"3.00"}""", "unitPrice" },
        { """{"name":"Cup","unitPrice":-1}""", "unitPrice" },
        { """{"name":"Cup","unitPrice":1.001}""", "unitPrice" },
        { """{"name":"Cu\u0000p","unitPrice":1}""", "name" },
        { """{"name":"Cup\ud800","unitPrice":1}""", "name" },
        // Invisible format characters and separators (InputText): a bidi override, zero-width space, line and paragraph
        // separators, the BOM, an isolate, and a tag character beyond the BMP.
        { """{"name":"Cup\u202Egnp","unitPrice":1}""", "name" },
        { """{"name":"C\u200Bup","unitPrice":1}""", "name" },
        { """{"name":"Cup\u2028Mug","unitPrice":1}""", "name" },
        { """{"name":"Mug\u2029Cup","unitPrice":1}""", "name" },
        { """{"name":"\uFEFFCup","unitPrice":1}""", "name" },
        { """{"name":"Cup\u2066","unitPrice":1}""", "name" },
        { """{"name":"Cup\udb40\udc01","unitPrice":1}""", "name" },
        { """{"name":"Cup","unitPrice":1,"stock":5}""", "stock" },
        { "[1]", "body" },
        { "{", "body" },
    };

    [Theory]
    [MemberData(nameof(InvalidProducts))]
    public async Task Should_refuse_a_malformed_product_naming_the_field_and_change_nothing(string body, string field)
    {
        var sku = NewSku();

        await AssertValidationProblem(await Put($"/products/{sku}", body), field);
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Service.Http.GetAsync($"/products/{sku}")).StatusCode);
    }

    [Theory]
    [InlineData("Café crème")]
    [InlineData("茶杯")]
    [InlineData("Кружка")]
    [InlineData("كوب شاي")]
    [InlineData("Tea 🍵")]
    public async Task Should_take_a_name_in_any_script(string name)
    {
        var sku = NewSku();

        var response = await Put($"/products/{sku}", JsonSerializer.Serialize(new { name, unitPrice = 1 }));

        response.EnsureSuccessStatusCode();
        var product = await fixture.Service.Http.GetFromJsonAsync<ProductView>($"/products/{sku}", InventoryFixture.Json);
        Assert.Equal(name, product!.Name);
    }

    public static TheoryData<string, string> InvalidStock => new()
    {
        { "{}", "onHand" },
        { """{"onHand":"5"}""", "onHand" },
        { """{"onHand":5.5}""", "onHand" },
        { """{"onHand":null}""", "onHand" },
        { """{"onHand":5,"reserved":1}""", "reserved" },
    };

    [Theory]
    [MemberData(nameof(InvalidStock))]
    public async Task Should_refuse_a_malformed_stock_body_and_keep_the_units_on_hand(string body, string field)
    {
        var sku = await fixture.NewSku(5);

        await AssertValidationProblem(await Put($"/stock/{sku}", body), field);
        Assert.Equal(5, (await fixture.Stock(sku)).OnHand);
    }

    [Theory]
    [InlineData("/stock/SKU%20ONE")]
    [InlineData("/stock/SKU%01-1")]
    [InlineData("/products/SKU%7F-1")]
    [InlineData("/products/%E2%82%AC")]
    [InlineData("/products/%C2%85X")]
    [InlineData("/stock/X%C2%A0")]
    public async Task Should_answer_400_for_a_malformed_sku_in_the_path(string path)
    {
        await AssertValidationProblem(await fixture.Service.Http.GetAsync(path), "sku");
        await AssertValidationProblem(await Put(path, """{"onHand":1,"name":"x","unitPrice":1}"""), null);
    }

    [Theory]
    [InlineData("/stock/SKU%00-1")]
    [InlineData("/products/SKU%00-1")]
    public async Task Should_refuse_a_NUL_in_the_path_before_it_reaches_the_api(string path)
    {
        // Kestrel itself refuses the request line (a bare 400: no application code runs, so nothing can change).
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Service.Http.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Put(path, """{"onHand":1}""")).StatusCode);
    }

    [Fact]
    public async Task Should_answer_415_to_a_body_that_is_not_json()
    {
        var response = await fixture.Service.Http.PutAsync($"/products/{NewSku()}", new StringContent("{}", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    static string NewSku() => $"P-{Guid.NewGuid():N}".ToUpperInvariant();

    Task<HttpResponseMessage> Put(string path, string json) =>
        fixture.Service.Http.PutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    static async Task AssertValidationProblem(HttpResponseMessage response, string? field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ValidationProblemDetails>();
        if (field is not null)
            Assert.Contains(field, problem!.Errors.Keys);
    }
}
