using System.Net;
using System.Text.RegularExpressions;

namespace Grains.Server.Tests.Accounts;

/// <summary>An HTTP client that behaves like a browser on the dashboard's static forms: cookies kept, redirects not followed.</summary>
public sealed partial class Browser : IDisposable
{
    private readonly HttpClient _client;

    public Browser(string url)
    {
        Cookies = new CookieContainer();
        _client = new HttpClient(new HttpClientHandler { CookieContainer = Cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
    }

    public CookieContainer Cookies { get; }

    public Task<HttpResponseMessage> GetAsync(string path) => _client.GetAsync(path);

    /// <summary>The antiforgery token of the form on <paramref name="path"/>.</summary>
    public async Task<string> FormTokenAsync(string path)
    {
        var html = await _client.GetStringAsync(path);
        return TokenField().Match(html) is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"No antiforgery token on {path}");
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields) =>
        _client.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    /// <summary>Fills and submits the sign-in form (with its antiforgery token).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string email, string password, string? next = null)
    {
        var path = "/auth/login/" + (next is null ? "" : "?next=" + Uri.EscapeDataString(next));
        var token = await FormTokenAsync(path);
        return await PostFormAsync(path, ("_handler", "signin"), ("__RequestVerificationToken", token), ("Input.Email", email), ("Input.Password", password));
    }

    /// <summary>Where a redirect goes, as a local path and query; fails when it leaves this server.</summary>
    public string Location(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var location = response.Headers.Location ?? throw new InvalidOperationException($"No Location header ({(int)response.StatusCode})");
        if (!location.IsAbsoluteUri)
        {
            return location.OriginalString;
        }

        Assert.Equal(_client.BaseAddress!.Authority, location.Authority);
        return location.PathAndQuery;
    }

    /// <summary>Where GET <paramref name="path"/> redirects.</summary>
    public async Task<string> RedirectOfAsync(string path)
    {
        using var response = await _client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Location(response);
    }

    public void Dispose() => _client.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
