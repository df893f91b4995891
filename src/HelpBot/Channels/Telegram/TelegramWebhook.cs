using System.Text.Json;
using HelpBot.Inbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using global::Telegram.Bot;
using global::Telegram.Bot.Exceptions;
using global::Telegram.Bot.Types;

namespace HelpBot.Channels.Telegram;

/// <summary>
/// Webhook mode: Telegram posts each update to /webhooks/telegram. The secret header is checked in
/// constant time; the update is committed through the inbox before the 200 goes back, so Telegram
/// redelivers anything HelpBot did not store, and the inbox drops what it stored twice.
/// </summary>
public static class TelegramWebhook
{
    public const string Path = "/webhooks/telegram";
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";

    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, async (HttpContext context, TelegramBot bot, InboxProcessor inbox, IOptions<TelegramOptions> options, ILoggerFactory logs) =>
        {
            var logger = logs.CreateLogger(typeof(TelegramWebhook));
            if (!WebhookSecrets.Matches(context.Request.Headers[SecretHeader].ToString(), options.Value.WebhookSecret))
            {
                logger.LogWarning("Refused a Telegram webhook call from {Remote}: wrong secret token", context.Connection.RemoteIpAddress);
                return Results.Unauthorized();
            }
            if (bot.Identity is not { } identity)
            {
                // Not connected yet: Telegram tries again shortly.
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
            if (await WebhookBody.ReadAsync(context) is not { } body)
            {
                logger.LogWarning("Refused a Telegram webhook call larger than {Bytes} bytes", WebhookBody.MaxBytes);
                return WebhookBody.TooLarge;
            }
            Update? update;
            try
            {
                update = JsonSerializer.Deserialize(body, TelegramJson.Update);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
                // Redelivering a body we cannot read would never succeed: acknowledge it and say so.
                logger.LogWarning("Skipped a malformed Telegram webhook update: {Error}", ex.GetType().Name);
                return Results.Ok();
            }
            bot.Heard();
            if (update is not null && TelegramUpdateMapper.Map(update, identity) is { } e)
            {
                // Read and verified: store it even if the caller hangs up now, so nothing depends on a redelivery.
                await inbox.ProcessAsync([e], CancellationToken.None);
            }
            return Results.Ok();
        });
        return app;
    }

    internal static HelpBot.Hosting.IWebhookEndpoint AsEndpoint() => new HelpBot.Hosting.WebhookEndpoint(app => app.MapTelegramWebhook());
}

/// <summary>Connects, registers the webhook with its secret (never dropping pending updates) and the menus.</summary>
public sealed class TelegramWebhookRegistration(
    ITelegramBotClient client, TelegramBot bot, TelegramCommandMenu menu, IOptions<TelegramOptions> options,
    IHostApplicationLifetime lifetime, ILogger<TelegramWebhookRegistration> logger) : BackgroundService
{
    private static readonly global::Telegram.Bot.Types.Enums.UpdateType[] Wanted =
        [global::Telegram.Bot.Types.Enums.UpdateType.Message, global::Telegram.Bot.Types.Enums.UpdateType.CallbackQuery];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await bot.ConnectAsync(stoppingToken);
            var o = options.Value;
            await client.SetWebhook(o.WebhookUrl!, secretToken: o.WebhookSecret, allowedUpdates: Wanted,
                dropPendingUpdates: false, cancellationToken: stoppingToken);
            logger.LogInformation("Telegram webhook registered; updates arrive at {Path}", TelegramWebhook.Path);
            await menu.RegisterAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (ApiRequestException ex) when (ex.ErrorCode is 401 or 404)
        {
            logger.LogCritical("Telegram refused the bot token ({ErrorCode}). Check HelpBot:Telegram:BotToken; stopping", ex.ErrorCode);
            Environment.ExitCode = 3;
            lifetime.StopApplication();
        }
        catch (ApiRequestException ex)
        {
            logger.LogCritical("Telegram refused the webhook ({ErrorCode} {Error}). Check HelpBot:Telegram:WebhookUrl; stopping", ex.ErrorCode, ex.Message);
            Environment.ExitCode = 3;
            lifetime.StopApplication();
        }
    }
}
