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
            if (await WebhookBody.ReadAsync(context, MaxBody) is not { } body)
            {
                logger.LogWarning("Refused a Zalo OA webhook call larger than {Bytes} bytes", MaxBody);
                return WebhookBody.TooLarge;
            }
            JsonDocument? document;
            try
            {
                document = JsonDocument.Parse(body);
            }
            catch (JsonException)
            {
                // A body that does not parse has no timestamp to verify: it cannot be Zalo's, so it is refused like a bad signature.
                document = null;
            }
            using (document)
            {
                var timestamp = document is null ? "" : ZaloOaEventMapper.Timestamp(document.RootElement);
                if (document is null || !ZaloOaSignature.Verify(context.Request.Headers[ZaloOaSignature.Header].ToString(), o.AppId!.Trim(), body, timestamp, o.SecretKey!))
                {
                    logger.LogWarning("Refused a Zalo OA webhook call from {Remote}: {Problem}",
                        context.Connection.RemoteIpAddress, document is null ? "a body that is not JSON" : $"wrong or missing {ZaloOaSignature.Header}");
                    return Results.Unauthorized();
                }
                var mapped = ZaloOaEventMapper.Map(document.RootElement, o.OaId);
                if (mapped.Problem is { } problem)
                {
                    logger.LogWarning("Skipped a Zalo OA webhook event that cannot be handled: {Problem}", problem);
                }
                if (mapped.Event is { } e)
                {
                    // Verified: store it even if Zalo hangs up now (it resends only when it cannot connect).
                    var name = profiles.NameOf(e.From.Id);
                    await inbox.ProcessAsync([e with { From = e.From with { DisplayName = name } }], CancellationToken.None);
                    profiles.Want(e.From.Id, name);
                }
            }
            return Results.Ok();
        });
        return app;
    }

    internal static HelpBot.Hosting.IWebhookEndpoint AsEndpoint() => new HelpBot.Hosting.WebhookEndpoint(app => app.MapZaloOaWebhook());
}
