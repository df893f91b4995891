using System.Text.Json;
using HelpBot.Inbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloBot;

/// <summary>
/// Webhook mode: Zalo posts each update to /webhooks/zalo-bot with the secret in X-Bot-Api-Secret-Token
/// (a shared secret, no signature over the body), checked in constant time. The update is committed
/// through the inbox before the 200 goes back; a replay is dropped by the inbox's key.
/// </summary>
public static class ZaloBotWebhook
{
    /// <summary>A contract: operators register this path with setWebhook.</summary>
    public const string Path = "/webhooks/zalo-bot";
    public const string SecretHeader = "X-Bot-Api-Secret-Token";

    public static IEndpointRouteBuilder MapZaloBotWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext context, ZaloBotUpdateReader reader, ZaloBotClient client, InboxProcessor inbox,
            IOptions<ZaloBotOptions> options, ILoggerFactory logs) =>
        {
            var logger = logs.CreateLogger(typeof(ZaloBotWebhook));
            if (!WebhookSecrets.Matches(context.Request.Headers[SecretHeader].ToString(), options.Value.WebhookSecret))
            {
                logger.LogWarning("Refused a Zalo Bot webhook call from {Remote}: wrong secret token", context.Connection.RemoteIpAddress);
                return Results.Unauthorized();
            }
            // No documented limit; an update is a few hundred bytes.
            if (await WebhookBody.ReadAsync(context) is not { } bytes)
            {
                logger.LogWarning("Refused a Zalo Bot webhook call larger than {Bytes} bytes", WebhookBody.MaxBytes);
                return WebhookBody.TooLarge;
            }
            InboundEvent? e;
            try
            {
                using var body = JsonDocument.Parse(bytes);
                e = reader.Read(body.RootElement);
            }
            catch (JsonException ex)
            {
                // Redelivering a body we cannot read would never succeed: acknowledge it and say so, without its content.
                logger.LogWarning("Skipped a malformed Zalo Bot webhook update: {Error}", ex.GetType().Name);
                return Results.Ok();
            }
            client.Heard();
            if (e is not null)
            {
                // Read and verified: store it even if Zalo hangs up now (it may never send it again).
                await inbox.ProcessAsync([e], CancellationToken.None);
            }
            return Results.Ok();
        });
        return app;
    }

    internal static HelpBot.Hosting.IWebhookEndpoint AsEndpoint() => new HelpBot.Hosting.WebhookEndpoint(app => app.MapZaloBotWebhook());
}

/// <summary>Connects (getMe) and registers the webhook with its secret at start.</summary>
public sealed class ZaloBotWebhookRegistration(
    ZaloBotClient client, ZaloBot bot, IOptions<ZaloBotOptions> options,
    IHostApplicationLifetime lifetime, ILogger<ZaloBotWebhookRegistration> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await bot.ConnectAsync(stoppingToken);
            var o = options.Value;
            await bot.UntilDoneAsync("setWebhook", ct => client.SetWebhookAsync(o.WebhookUrl!, o.WebhookSecret!, ct), stoppingToken);
            logger.LogInformation("Zalo Bot webhook registered; updates arrive at {Path}", ZaloBotWebhook.Path);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ZaloBotApiException ex) when (ex.ErrorCode == 401)
        {
            logger.LogCritical("Zalo refused the bot token (401 {Error}). Check HelpBot:Zalo:Bot:Token; stopping", ex.Description);
            Environment.ExitCode = 3;
            lifetime.StopApplication();
        }
        catch (ZaloBotApiException ex)
        {
            logger.LogCritical("Zalo refused the webhook ({ErrorCode} {Error}). Check HelpBot:Zalo:Bot:WebhookUrl and WebhookSecret; stopping",
                ex.ErrorCode, ex.Description);
            Environment.ExitCode = 3;
            lifetime.StopApplication();
        }
    }
}
