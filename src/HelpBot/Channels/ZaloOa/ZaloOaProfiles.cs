using System.Collections.Concurrent;
using HelpBot.Outbox;
using HelpBot.Storage;
using HelpBot.Tickets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HelpBot.Channels.ZaloOa;

/// <summary>
/// OA webhook events carry no names. Each new person's display name is looked up once, after their message
/// is stored (never inside Zalo's two-second webhook budget); until it is known they are "Người dùng Zalo …1234",
/// and then their tickets, open cards and history take the real name. Names live in memory only: a
/// restart looks them up again, and nothing outlives a /forget.
/// </summary>
public sealed class ZaloOaProfiles(
    ZaloOaApi api, ZaloOaTokens tokens, Database database, TicketDesk desk, OutboxSignal signal, ILogger<ZaloOaProfiles> logger) : BackgroundService
{
    // About one entry per citizen who ever wrote: a commune has tens of thousands at most.
    private const int MaxNames = 50_000;
    private const int MaxNameLength = 64;

    private readonly ConcurrentDictionary<string, string> _names = new();
    private readonly System.Threading.Channels.Channel<(string UserId, bool StoredPlaceholder)> _wanted = System.Threading.Channels.Channel.CreateBounded<(string, bool)>(
        new System.Threading.Channels.BoundedChannelOptions(10_000) { FullMode = System.Threading.Channels.BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>The person's display name when known, else the placeholder built from their id.</summary>
    public string NameOf(string userId) => _names.TryGetValue(userId, out var name) ? name : ZaloOaEventMapper.DisplayName(userId);

    /// <summary>
    /// Asks for the person's name to be looked up, unless it is known; <paramref name="storedName"/> is the name their
    /// message was stored with (a placeholder stored while a lookup was finishing is replaced too).
    /// </summary>
    public void Want(string userId, string storedName)
    {
        var placeholder = storedName == ZaloOaEventMapper.DisplayName(userId);
        if (placeholder || !_names.ContainsKey(userId))
        {
            _wanted.Writer.TryWrite((userId, placeholder));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (userId, storedPlaceholder) in _wanted.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    if (_names.TryGetValue(userId, out var known))
                    {
                        if (storedPlaceholder)
                        {
                            await RenameAsync(userId, known, stoppingToken);
                        }
                        continue;
                    }
                    await LookUpAsync(userId, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A name is a convenience: a busy database or a token problem must never stop the host.
                    logger.LogWarning(ex, "Could not look up or record a Zalo OA display name; the placeholder stays");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task LookUpAsync(string userId, CancellationToken cancellationToken)
    {
        ZaloOaReply reply;
        try
        {
            var token = await tokens.GetAsync(cancellationToken);
            reply = await api.GetDisplayNameAsync(token, userId, cancellationToken);
            if (ZaloOaErrors.IsTokenProblem(reply.Error))
            {
                reply = await api.GetDisplayNameAsync(await tokens.RenewAsync(token, cancellationToken), userId, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or ZaloOaTokenException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // The placeholder stays; the person's next message asks again.
            logger.LogInformation("Could not look up a Zalo OA display name: {Error}", ex.GetType().Name);
            return;
        }
        if (!reply.Ok || string.IsNullOrWhiteSpace(reply.Message))
        {
            // Group members who do not follow the OA have no profile for it: they keep the placeholder.
            logger.LogDebug("No Zalo OA display name: {Error} {Message}", reply.Error, reply.Transport ? reply.Message : "");
            return;
        }
        if (_names.Count >= MaxNames)
        {
            _names.Clear();
        }
        var name = Text.Texts.Shorten(reply.Message.Trim(), MaxNameLength);
        await RenameAsync(userId, name, cancellationToken);
        // Known only once the tickets carry it: a failed commit leaves the name to be looked up again.
        _names[userId] = name;
    }

    private async Task RenameAsync(string userId, string name, CancellationToken cancellationToken)
    {
        await using var session = await DeskSession.BeginAsync(database, cancellationToken);
        await desk.RenameCitizenAsync(session, ZaloOaEventMapper.Channel, userId, ZaloOaEventMapper.DisplayName(userId), name);
        await session.CommitAsync(cancellationToken);
        if (session.EnqueuedAny)
        {
            signal.Notify();
        }
    }
}
