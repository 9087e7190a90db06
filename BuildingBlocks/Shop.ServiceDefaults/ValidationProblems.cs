using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Shop.ServiceDefaults;

/// <summary>The 400 answers every Shop API gives in the same words.</summary>
public static class ValidationProblems
{
    /// <summary>A ProblemDetails naming <paramref name="field"/> as not a GUID (e.g. a bad <c>?orderId=</c>).</summary>
    public static ValidationProblem NotAGuid(string field) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"'{field}' must be a GUID."] });
}
