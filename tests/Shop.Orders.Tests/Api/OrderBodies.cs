using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Shop.ServiceDefaults;

namespace Shop.Orders.Tests.Api;

/// <summary>Request bodies for POST /orders, valid or broken in one named field. The fixture prices SKU-1 at 5.00 and SKU-2 at 15.50.</summary>
public static class OrderBodies
{
    public static JsonObject Valid() => new()
    {
        ["email"] = "ada@example.com",
        ["items"] = new JsonArray(
            new JsonObject { ["sku"] = "SKU-1", ["quantity"] = 2 },
            new JsonObject { ["sku"] = "SKU-2", ["quantity"] = 1 }),
        ["paymentToken"] = "tok_ok",
        ["shippingAddress"] = new JsonObject
        {
            ["line1"] = "1 Main St",
            ["city"] = "Berlin",
            ["postalCode"] = "10115",
            ["country"] = "DE",
        },
    };

    public static string With(Action<JsonObject> change)
    {
        var body = Valid();
        change(body);
        return body.ToJsonString();
    }

    public static JsonObject Item(this JsonObject body, int index) => body["items"]![index]!.AsObject();

    public static JsonObject Address(this JsonObject body) => body["shippingAddress"]!.AsObject();
}

static class HttpJson
{
    static readonly JsonSerializerOptions Options = CreateOptions();

    public static async Task<T> ReadJsonAsync<T>(this HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(Options))!;

    /// <summary>Asserts a ProblemDetails answer with <paramref name="status"/> and returns it.</summary>
    public static async Task<ProblemDetails> ReadProblemAsync(this HttpResponseMessage response, int status)
    {
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync<ProblemDetails>();
        Assert.Equal(status, problem.Status);
        return problem;
    }

    /// <summary>Asserts a 400 ValidationProblem and returns its field errors.</summary>
    public static async Task<IDictionary<string, string[]>> ReadValidationErrorsAsync(this HttpResponseMessage response)
    {
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.ReadJsonAsync<HttpValidationProblemDetails>()).Errors;
    }

    static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ServiceDefaultsExtensions.ConfigureJson(options);
        options.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
        return options;
    }
}
