using Microsoft.Extensions.Logging;

namespace HelpBot.Channels.ZaloBot;

/// <summary>Who the bot is on Zalo, learnt from getMe at start, and the patience for start-up calls.</summary>
public sealed class ZaloBot(ZaloBotClient client, TimeProvider time, ILogger<ZaloBot> logger)
{
    private volatile string? _name;
    private volatile string? _mention;
    private volatile string[] _mentionNames = [];

    /// <summary>The bot's account name, once getMe has answered.</summary>
    public string? Name => _name;

    /// <summary>How people mention the bot in a group ("@" and its display name), once getMe has answered.</summary>
    public string? Mention => _mention;

    /// <summary>The names an @mention of the bot may use (account and display name), longest first.</summary>
    public IReadOnlyList<string> MentionNames => _mentionNames;

    /// <summary>Calls getMe until it answers; a refusal (a wrong token) is not retried.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken) => UntilDoneAsync("getMe", async ct =>
    {
        var me = await client.GetMeAsync(ct);
        _name = me.AccountName ?? me.DisplayName ?? me.Id ?? "?";
        _mention = $"@{me.DisplayName ?? _name}";
        _mentionNames = new[] { me.DisplayName, me.AccountName }.OfType<string>().Where(n => n.Length > 0)
            .OrderByDescending(n => n.Length).ToArray();
        logger.LogInformation("Connected to Zalo Bot Platform as {AccountName} ({BotId})", _name, me.Id);
    }, cancellationToken);

    /// <summary>Repeats a start-up call through network failures, rate limits and server errors, backing off; a refusal is thrown.</summary>
    public async Task UntilDoneAsync(string what, Func<CancellationToken, Task> call, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (true)
        {
            try
            {
                await call(cancellationToken);
                return;
            }
            catch (ZaloBotApiException ex) when (ex.IsTransient)
            {
                failures++;
                var delay = ReconnectDelay.After(failures);
                logger.LogError("Zalo Bot Platform {Call} failed ({ErrorCode} {Error}; {Failures} in a row); retrying in {Delay}",
                    what, ex.ErrorCode, ex.Description, failures, delay);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }
}
