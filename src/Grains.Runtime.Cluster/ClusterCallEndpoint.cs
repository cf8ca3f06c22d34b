using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Grains.Runtime.Configuration;
using Grains.Runtime.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Grains.Runtime.Cluster;

/// <summary>
/// The receiving end of silo-to-silo calls (<c>POST /_grains/v1/call</c> on the internal port):
/// checks the cluster secret, runs the call if this silo owns the grain's partition, and answers
/// the result, the exception (type and message), or 421 "moved" with the epoch it knows.
/// </summary>
internal sealed class ClusterCallEndpoint(
    LocalGrainCalls calls,
    GrainCallCodec codec,
    ClusterSecret secret,
    ClusterPartitionDirectory directory,
    ClusterTransportOptions transport,
    GrainsOptions runtime,
    ILogger<ClusterCallEndpoint> logger)
{
    public async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        if (!secret.Matches(context.Request.Headers.Authorization))
        {
            // Never echo what was presented: it may be a secret of another cluster.
            await Plain(response, StatusCodes.Status401Unauthorized, "missing or wrong cluster secret");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = transport.MaxMessageBytes;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException exception)
        {
            await Plain(response, exception.StatusCode, exception.Message);
            return;
        }

        (GrainId grainId, System.Reflection.MethodInfo method, object?[] args) call;
        try
        {
            call = codec.ReadCall(body);
        }
        catch (FormatException exception)
        {
            logger.LogWarning("Rejected a silo-to-silo call: {Reason}", exception.Message);
            await Plain(response, StatusCodes.Status400BadRequest, exception.Message);
            return;
        }

        if (!calls.IsRunning)
        {
            await Plain(response, StatusCodes.Status503ServiceUnavailable, "silo stopping");
            return;
        }

        var timeout = runtime.ResponseTimeout;
        if (long.TryParse(context.Request.Headers[HttpRemoteGrainInvoker.TimeoutHeader], NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0)
        {
            timeout = TimeSpan.FromMilliseconds(Math.Min(ms, (long)runtime.ResponseTimeout.TotalMilliseconds));
        }

        // The caller's W3C trace context, read here too: the host creates no request activity when nothing listens to it.
        ActivityContext.TryParse(context.Request.Headers.TraceParent, context.Request.Headers.TraceState, isRemote: true, out var parent);
        using var activity = RuntimeInstruments.ActivitySource.StartActivity("grains.call.receive", ActivityKind.Server, parent);
        activity?.SetTag("grains.grain", call.grainId.ToString());
        activity?.SetTag("grains.method", call.method.Name);

        var task = calls.TryInvoke(call.grainId, call.method, call.args, timeout);
        if (task is null)
        {
            var partition = calls.PartitionOf(call.grainId);
            response.StatusCode = StatusCodes.Status421MisdirectedRequest;
            response.ContentType = "application/json";
            await JsonSerializer.SerializeAsync(response.Body, new MovedAnswer(partition, directory.OwnerOf(partition)?.Epoch ?? 0), ClusterJsonContext.Default.MovedAnswer);
            return;
        }

        byte[] answer;
        try
        {
            var result = await task;
            answer = codec.WriteResult(HttpRemoteGrainInvoker.MethodResultType(call.method), result);
        }
        catch (Exception exception)
        {
            activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            answer = codec.WriteError(exception);
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(answer);
    }

    private static Task Plain(HttpResponse response, int status, string message)
    {
        response.StatusCode = status;
        response.ContentType = "text/plain; charset=utf-8";
        return response.WriteAsync(message);
    }
}
