using System.Text.Json;
using HelpBot.Inbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloOa;

/// <summary>
/// Zalo posts each OA event to /webhooks/zalo-oa (one event per call). The signature is checked over the raw bytes
/// before anything is read into the desk; the event is committed through the inbox before the 200 goes back, and the
/// inbox drops a redelivery (same event name and msg_id).
/// </summary>
public static class ZaloOaWebhook
{
    public const string Path = "/webhooks/zalo-oa";

    // Zalo's events are a few hundred bytes; anything near this is not from Zalo.
    private const int MaxBody = 256 * 1024;

    public static IEndpointRouteBuilder MapZaloOaWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext context, InboxProcessor inbox, ZaloOaProfiles profiles, IOptions<ZaloOaOptions> options, ILoggerFactory logs) =>
        {
            var logger = logs.CreateLogger(typeof(ZaloOaWebhook));
            var o = options.Value;
            if (context.Request.ContentLength > MaxBody)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }
            byte[] body;
            using (var buffer = new MemoryStream())
            {
                await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
                if (buffer.Length > MaxBody)
                {
                    return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
                }
                body = buffer.ToArray();
            }
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                // Redelivering a body we cannot read would never succeed: acknowledge it and say so (never its content).
                logger.LogWarning("Skipped a malformed Zalo OA webhook body: {Error}", ex.GetType().Name);
                return Results.Ok();
            }
            using (document)
            {
                var timestamp = ZaloOaEventMapper.Timestamp(document.RootElement);
                if (!ZaloOaSignature.Verify(context.Request.Headers[ZaloOaSignature.Header].ToString(), o.AppId!.Trim(), body, timestamp, o.SecretKey!))
                {
                    logger.LogWarning("Refused a Zalo OA webhook call from {Remote}: wrong or missing {Header}",
                        context.Connection.RemoteIpAddress, ZaloOaSignature.Header);
                    return Results.Unauthorized();
                }
                var mapped = ZaloOaEventMapper.Map(document.RootElement);
                if (mapped.Problem is { } problem)
                {
                    logger.LogWarning("Skipped a Zalo OA webhook event that cannot be handled: {Problem}", problem);
                }
                if (mapped.Event is { } e)
                {
                    await inbox.ProcessAsync([e with { From = e.From with { DisplayName = profiles.NameOf(e.From.Id) } }], context.RequestAborted);
                    profiles.Want(e.From.Id);
                }
            }
            return Results.Ok();
        });
        return app;
    }

    private sealed class Endpoint : HelpBot.Hosting.IWebhookEndpoint
    {
        public void Map(IEndpointRouteBuilder app) => app.MapZaloOaWebhook();
    }

    internal static HelpBot.Hosting.IWebhookEndpoint AsEndpoint() => new Endpoint();
}
