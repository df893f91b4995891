using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using HelpBot.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloOa;

public enum ZaloOaTokenHealth { Starting, Ok, Failing, Broken, Missing }

/// <summary>The state of the token chain, for the health check.</summary>
public sealed record ZaloOaTokenStatus(ZaloOaTokenHealth Health, string Description);

/// <summary>
/// No access token can be had now; <see cref="Broken"/> when only an admin can fix it. <see cref="RetryAfter"/> when
/// it is known how long to wait (another process's renewal lapses).
/// </summary>
public sealed class ZaloOaTokenException(string message, bool broken, TimeSpan? retryAfter = null) : Exception(message)
{
    public bool Broken { get; } = broken;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>
/// The OA's access token, renewed ahead of its expiry with the single-use refresh token, one renewal at a time.
/// The chain must never break, so the order is: commit "this refresh token is being sent" (a restart then knows it may
/// be spent); ask Zalo; commit the new pair in one write; only then use the new access token. A pair that could not
/// be stored is held in memory and stored before anything else, never used unstored. What no order can prevent is a
/// crash after Zalo issued a pair and before it was committed: the stored refresh token is then spent and Zalo refuses
/// it. That is detected on the next start, said in the health check and in one critical log line naming what an admin
/// must do (authorise again and paste the new refresh token into HelpBot:Zalo:OA:RefreshToken); a pasted token HelpBot
/// has never seen starts a new chain.
/// </summary>
public sealed class ZaloOaTokens(Database database, ZaloOaOAuth oauth, IOptions<ZaloOaOptions> options, TimeProvider time, ILogger<ZaloOaTokens> logger)
{
    /// <summary>How long before expiry the access token is renewed (it lives 25 hours).</summary>
    public static readonly TimeSpan RenewAhead = TimeSpan.FromHours(1);

    /// <summary>
    /// Longer than any renewal takes (the OAuth call's timeout and the write that stores its answer): a renewal marked
    /// as started longer ago than this was left by a process that stopped or crashed.
    /// </summary>
    private static readonly TimeSpan RenewalBound = ZaloOaOAuth.Timeout * 2;

    public const string BrokenAdvice =
        "An OA admin must authorise the app again (Zalo for Developers → the app → Official Account → Get access token) and paste the new "
        + "refresh token into HelpBot:Zalo:OA:RefreshToken (environment variable HelpBot__Zalo__OA__RefreshToken), then restart HelpBot.";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<long> _refused = [];
    private volatile Access? _current;
    private Unsaved? _unsaved;
    private bool _loaded;
    private volatile ZaloOaTokenStatus _status = new(ZaloOaTokenHealth.Starting, "no access token yet");

    private sealed record Access(long RowId, string Token, DateTimeOffset ExpiresAt);

    private sealed record Unsaved(long FromRowId, ZaloOaTokenPair Pair, DateTimeOffset ExpiresAt);

    internal sealed record TokenRow(long Id, string? RefreshToken, string? AccessToken, long? AccessExpiresAt, long? RefreshStartedAt, string Source, long ObtainedAt);

    public ZaloOaTokenStatus Status => _status;

    /// <summary>When the current access token expires; null when there is none.</summary>
    public DateTimeOffset? ExpiresAt => _current?.ExpiresAt;

    /// <summary>An access token good for a while yet, renewing it first when it is close to expiry.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && time.GetUtcNow() < current.ExpiresAt - RenewAhead)
        {
            return current.Token;
        }
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            var now = time.GetUtcNow();
            if (_current is { } fresh && now < fresh.ExpiresAt - RenewAhead)
            {
                return fresh.Token;
            }
            try
            {
                return await RenewLockedAsync(null, cancellationToken);
            }
            catch (ZaloOaTokenException) when (_current is { } usable && now < usable.ExpiresAt)
            {
                // Renewing early failed, but the token still works until it expires: use it, and try again next time.
                return usable.Token;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Zalo rejected <paramref name="rejected"/> (-216/-220): renew, unless another send already has.</summary>
    public async Task<string> RenewAsync(string rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            await LoadAsync(cancellationToken);
            if (_current is { } current && current.Token != rejected && time.GetUtcNow() < current.ExpiresAt)
            {
                return current.Token;
            }
            _current = null;
            return await RenewLockedAsync(rejected, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>On the way out: one more try at storing a pair that could not be stored (it is lost otherwise).</summary>
    public async Task SaveHeldPairAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_unsaved is { } held && await TryStoreAsync(held, cancellationToken) is { } id)
            {
                Use(held, id);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (_loaded)
        {
            return;
        }
        await using var connection = await database.OpenAsync(cancellationToken);
        if (options.Value.RefreshToken?.Trim() is { Length: > 0 } configured)
        {
            await using var tx = Database.BeginWrite(connection);
            var hash = Hash(configured);
            var known = await connection.ExecuteScalarAsync<long>(
                "SELECT count(*) FROM zalo_oa_tokens WHERE refresh_token_hash = @hash", new { hash }, tx);
            if (known == 0)
            {
                var chained = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM zalo_oa_tokens", transaction: tx) > 0;
                await connection.ExecuteAsync(
                    """
                    INSERT INTO zalo_oa_tokens (refresh_token, refresh_token_hash, source, obtained_at)
                    VALUES (@configured, @hash, 'settings', @now)
                    """, new { configured, hash, now = time.GetUtcNow().Ms() }, tx);
                await ForgetOldTokensAsync(connection, tx);
                await tx.CommitAsync(cancellationToken);
                logger.LogInformation(chained
                    ? "HelpBot:Zalo:OA:RefreshToken holds a refresh token HelpBot has not used before: it replaces the stored ones"
                    : "Took the first Zalo OA refresh token from HelpBot:Zalo:OA:RefreshToken; from now on the database keeps the chain");
            }
            else
            {
                await tx.CommitAsync(cancellationToken);
            }
        }
        var newest = await NewestAsync(connection);
        _loaded = true;
        if (newest is null)
        {
            SetStatus(ZaloOaTokenHealth.Missing,
                "no refresh token: the database holds none and HelpBot:Zalo:OA:RefreshToken is not set. Paste the refresh token from the Zalo "
                + "developer console into HelpBot__Zalo__OA__RefreshToken and restart HelpBot.");
            logger.LogCritical("Zalo OA has no refresh token: the database holds none and HelpBot:Zalo:OA:RefreshToken is not set. {Advice}", BrokenAdvice);
            return;
        }
        if (newest.RefreshStartedAt is { } started)
        {
            // The renewal never finished: if it reached Zalo, this refresh token is spent and the access token beside it too.
            logger.LogWarning(
                "A Zalo OA token renewal started at {StartedAt:u} did not finish before HelpBot stopped; the stored refresh token may be spent. Trying it now",
                DateTimeOffset.FromUnixTimeMilliseconds(started));
            return;
        }
        if (newest is { AccessToken: { } access, AccessExpiresAt: { } expires })
        {
            _current = new Access(newest.Id, access, DateTimeOffset.FromUnixTimeMilliseconds(expires));
            SetStatus(ZaloOaTokenHealth.Ok, ValidUntil(_current.ExpiresAt));
        }
    }

    private async Task<string> RenewLockedAsync(string? rejected, CancellationToken cancellationToken)
    {
        if (_unsaved is { } held)
        {
            // Zalo already spent the stored refresh token for this pair: store it (whatever a shutdown says), never ask again.
            if (await TryStoreAsync(held, CancellationToken.None) is { } heldId)
            {
                return Use(held, heldId);
            }
            throw Failing("a new token pair could not be stored yet; it is kept in memory and not used until it is stored");
        }
        List<TokenRow> candidates;
        await using (var connection = await database.OpenAsync(cancellationToken))
        {
            var rows = (await connection.QueryAsync<TokenRow>(
                """
                SELECT id AS Id, refresh_token AS RefreshToken, access_token AS AccessToken, access_expires_at AS AccessExpiresAt,
                       refresh_started_at AS RefreshStartedAt, source AS Source, obtained_at AS ObtainedAt
                FROM zalo_oa_tokens WHERE refresh_token IS NOT NULL ORDER BY id DESC LIMIT 2
                """)).AsList();
            // The newest first. The one before only if it was never sent to Zalo (a pasted token may have been a mistake);
            // one that was sent is spent, and offering it again could look like token theft.
            candidates = rows.Where((r, i) => (i == 0 || r.RefreshStartedAt is null) && !_refused.Contains(r.Id)).ToList();
            if (rows.Count == 0)
            {
                throw new ZaloOaTokenException(_status.Description, broken: true);
            }
            if (rows[0] is { AccessToken: { } stored, AccessExpiresAt: { } expiresMs, RefreshStartedAt: null } newest && stored != rejected
                && DateTimeOffset.FromUnixTimeMilliseconds(expiresMs) is var expires && time.GetUtcNow() < expires - RenewAhead)
            {
                // Another HelpBot process on this database has just renewed: use its pair rather than renew again.
                _current = new Access(newest.Id, stored, expires);
                SetStatus(ZaloOaTokenHealth.Ok, ValidUntil(expires));
                return stored;
            }
        }
        var reasons = new List<string>();
        foreach (var row in candidates)
        {
            if (!await MarkStartedAsync(row, cancellationToken))
            {
                // Someone else's renewal of this token is under way (or was, until it lapses): never send it twice at once.
                var lapses = DateTimeOffset.FromUnixTimeMilliseconds(row.RefreshStartedAt ?? 0) + RenewalBound - time.GetUtcNow();
                throw Failing("another HelpBot process on this database is renewing the OA access token; trying again shortly",
                    lapses > TimeSpan.Zero ? lapses + TimeSpan.FromSeconds(1) : TimeSpan.FromSeconds(1));
            }
            // From here the refresh token may be spent: finish the call and store its answer even when HelpBot is
            // stopping, or the chain breaks. ZaloOaOAuth.Timeout bounds the wait, within the host's ShutdownTimeout.
            switch (await oauth.RefreshAsync(row.RefreshToken!, CancellationToken.None))
            {
                case ZaloOaRefreshOutcome.Issued issued:
                    var pair = new Unsaved(row.Id, issued.Pair, time.GetUtcNow() + issued.Pair.ExpiresIn);
                    _unsaved = pair;
                    if (await TryStoreAsync(pair, CancellationToken.None) is { } id)
                    {
                        return Use(pair, id);
                    }
                    throw Failing("a new token pair could not be stored yet; it is kept in memory and not used until it is stored");

                case ZaloOaRefreshOutcome.Refused refused:
                    _refused.Add(row.Id);
                    reasons.Add(refused.Reason);
                    logger.LogWarning("Zalo refused the stored OA refresh token obtained {ObtainedAt:u} ({Reason})",
                        DateTimeOffset.FromUnixTimeMilliseconds(row.ObtainedAt), refused.Reason);
                    break;

                case ZaloOaRefreshOutcome.Unavailable unavailable:
                    throw Failing($"Zalo's OAuth server did not answer ({unavailable.Reason}); trying again shortly");
            }
        }
        if (_status.Health != ZaloOaTokenHealth.Broken)
        {
            var why = reasons.Count > 0 ? string.Join("; ", reasons) : "every stored refresh token was refused earlier";
            // Logged before the status changes, so whoever sees the status can already read the line.
            logger.LogCritical("Zalo refused the stored OA refresh token ({Reason}): HelpBot cannot renew the OA access token. {Advice}", why, BrokenAdvice);
            SetStatus(ZaloOaTokenHealth.Broken, $"Zalo refused the stored refresh token ({why}): the chain of OA tokens is broken. {BrokenAdvice}");
        }
        throw new ZaloOaTokenException(_status.Description, broken: true);
    }

    /// <summary>
    /// Claims the row's refresh token for one renewal (a compare-and-set, so two processes on one database never both
    /// send it): true when this process may send it. A mark older than any renewal can last is one a stopped or crashed
    /// process left; the token may be spent, and trying it is how to find out.
    /// </summary>
    private async Task<bool> MarkStartedAsync(TokenRow row, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var connection = await database.OpenAsync(cancellationToken);
        var claimed = await connection.ExecuteAsync(
            """
            UPDATE zalo_oa_tokens SET refresh_started_at = @now
            WHERE id = @rowId AND (refresh_started_at IS NULL OR refresh_started_at <= @abandonedBefore)
            """,
            new { now = now.Ms(), rowId = row.Id, abandonedBefore = (now - RenewalBound).Ms() });
        return claimed == 1;
    }

    /// <summary>The new pair in one committed write; the row's id, or null when the database would not take it.</summary>
    private async Task<long?> TryStoreAsync(Unsaved pair, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var tx = Database.BeginWrite(connection);
            var id = await connection.ExecuteScalarAsync<long>(
                """
                INSERT INTO zalo_oa_tokens (refresh_token, refresh_token_hash, access_token, access_expires_at, source, obtained_at)
                VALUES (@refresh, @hash, @access, @expires, 'refresh', @now) RETURNING id
                """,
                new
                {
                    refresh = pair.Pair.RefreshToken,
                    hash = Hash(pair.Pair.RefreshToken),
                    access = pair.Pair.AccessToken,
                    expires = pair.ExpiresAt.Ms(),
                    now = time.GetUtcNow().Ms(),
                }, tx);
            await ForgetOldTokensAsync(connection, tx);
            await tx.CommitAsync(cancellationToken);
            return id;
        }
        catch (DbException ex)
        {
            logger.LogError("Could not store the new Zalo OA token pair ({Error}); it is kept in memory and not used until it is stored",
                ex.Message);
            return null;
        }
    }

    private string Use(Unsaved pair, long rowId)
    {
        _unsaved = null;
        _current = new Access(rowId, pair.Pair.AccessToken, pair.ExpiresAt);
        SetStatus(ZaloOaTokenHealth.Ok, ValidUntil(pair.ExpiresAt));
        logger.LogInformation("Renewed the Zalo OA access token; it is valid until {ExpiresAt:u}", pair.ExpiresAt);
        return pair.Pair.AccessToken;
    }

    private ZaloOaTokenException Failing(string why, TimeSpan? retryAfter = null)
    {
        SetStatus(ZaloOaTokenHealth.Failing, why);
        return new ZaloOaTokenException(why, broken: false, retryAfter);
    }

    private void SetStatus(ZaloOaTokenHealth health, string description) => _status = new ZaloOaTokenStatus(health, description);

    private static string ValidUntil(DateTimeOffset at) =>
        $"access token valid until {at.ToUniversalTime():yyyy-MM-dd HH:mm} UTC";

    private static async Task<TokenRow?> NewestAsync(System.Data.IDbConnection connection) =>
        await connection.QueryFirstOrDefaultAsync<TokenRow>(
            """
            SELECT id AS Id, refresh_token AS RefreshToken, access_token AS AccessToken, access_expires_at AS AccessExpiresAt,
                   refresh_started_at AS RefreshStartedAt, source AS Source, obtained_at AS ObtainedAt
            FROM zalo_oa_tokens ORDER BY id DESC LIMIT 1
            """);

    // Tokens older than the newest two are spent or superseded: keep only their hashes.
    private static Task ForgetOldTokensAsync(System.Data.IDbConnection connection, System.Data.IDbTransaction tx) =>
        connection.ExecuteAsync(
            """
            UPDATE zalo_oa_tokens SET refresh_token = NULL, access_token = NULL
            WHERE refresh_token IS NOT NULL AND id NOT IN (SELECT id FROM zalo_oa_tokens ORDER BY id DESC LIMIT 2)
            """, transaction: tx);

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
