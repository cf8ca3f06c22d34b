using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Grains.Monitoring.Alerts.Delivery;

namespace Grains.Monitoring.Alerts.Actions;

/// <summary>One JSON POST with the delivery id header, its outcome as an <see cref="AlertAttemptResult"/>.</summary>
public static class HttpAttempt
{
    /// <summary>
    /// The request option that gives traces the URL's redacted form (the service defaults' HttpClient
    /// instrumentation writes it as <c>url.full</c> instead of the URL, which may carry a secret).
    /// </summary>
    public static readonly HttpRequestOptionsKey<string> RedactedUrl = new("grains.redacted-url");

    /// <summary>POSTs <paramref name="body"/> to <paramref name="url"/> with the delivery id header; a non-2xx answer or a transport error is a failed attempt.</summary>
    public static async Task<AlertAttemptResult> PostAsync(HttpClient client, string url, string userAgent, string deliveryId, JsonNode body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Options.Set(RedactedUrl, WebhookUrls.Redact(url, keepPath: userAgent == AlertHttp.WebhooksUserAgent));
        request.Headers.UserAgent.Clear();
        request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        request.Headers.Add(AlertDeliveryIds.Header, deliveryId);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? AlertAttemptResult.Success(status) : AlertAttemptResult.Failure($"HTTP {status}", status);
        }
        catch (HttpRequestException exception)
        {
            // The message names the failure and at most the host (never the path or query).
            return AlertAttemptResult.Failure(exception.HttpRequestError == HttpRequestError.Unknown ? "request failed" : exception.HttpRequestError.ToString());
        }
    }
}
