using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HelpBot.Tests.Fakes;

/// <summary>One call HelpBot made to the fake: the Open API (<c>message/cs</c>, <c>group/message</c>) or OAuth.</summary>
public sealed record FakeOaRequest(long Sequence, DateTimeOffset Time, string Path, string? AccessToken, JsonObject Body,
    IReadOnlyDictionary<string, string> Form, string? SecretKeyHeader, int Error, string? MessageId, string? IssuedAccessToken)
{
    public bool Succeeded => Error == 0;
    public bool IsCs => Path == "/v3.0/oa/message/cs";
    public bool IsGroup => Path == "/v3.0/oa/group/message";
    public bool IsRefresh => Path == "/v4/oa/access_token";
    public string? UserId => Body["recipient"]?["user_id"]?.GetValue<string>();
    public string? GroupId => Body["recipient"]?["group_id"]?.GetValue<string>();
    public string? Text => Body["message"]?["text"]?.GetValue<string>();
    public string? QuoteMessageId => Body["message"]?["quote_message_id"]?.GetValue<string>();
    public string? ImageUrl => Body["message"]?["attachment"]?["payload"]?["elements"]?[0]?["url"]?.GetValue<string>();

    public override string ToString()
    {
        var body = IsRefresh ? "(form)" : Body.ToJsonString();
        return $"#{Sequence} {Path} -> {Error} {(body.Length > 160 ? body[..160] + "…" : body)}";
    }
}

/// <summary>
/// In-process fake of Zalo's OA servers (Kestrel on 127.0.0.1, dynamic port) serving both the Open API and OAuth v4
/// from one address. It behaves as the documentation says the real ones do: refresh tokens are single-use (a spent one
/// is refused with -14020), issuing a pair retires the previous access token, access tokens expire (on
/// <see cref="Clock"/>) and are then refused with -216, errors come back with HTTP 200. Tests can make a person
/// unreachable (the messaging window), queue errors, take OAuth down, or act at the moment a pair is issued.
/// It also signs and posts webhook events to HelpBot as Zalo does.
/// </summary>
public sealed class FakeZaloOa : IAsyncDisposable
{
    public const string AppId = "3608465249409039670";
    public const string AppSecret = "app-secret-FAKE-0001";
    public const string SecretKey = "oa-secret-key-FAKE-0002";
    public const string OaId = "388613280878808645";

    private readonly Lock _gate = new();
    private readonly WebApplication _app;
    private readonly List<FakeOaRequest> _requests = [];
    private readonly HashSet<string> _liveRefreshTokens = [];
    private readonly HashSet<string> _spentRefreshTokens = [];
    private readonly Dictionary<string, int> _unreachable = [];
    private readonly Queue<(int Error, string Message)> _sendFailures = new();
    private readonly List<(Func<JsonObject, bool> When, int Error, string Message)> _sendFailuresWhere = [];
    private readonly List<string> _issuedSecrets = [];
    private readonly Dictionary<string, string> _profiles = [];
    private string? _accessToken;
    private DateTimeOffset _accessExpiresAt;
    private TaskCompletionSource _changed = NewSignal();
    private long _nextSequence = 1;
    private int _nextToken = 1;
    private int _nextMessage = 1;
    private int _nextMsgId = 1;

    private FakeZaloOa(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";
    public TimeProvider Clock { get; set; } = TimeProvider.System;
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(25);
    /// <summary>The documentation shows expires_in as a string; some answers have a number.</summary>
    public bool ExpiresInAsNumber { get; set; }
    /// <summary>While true, OAuth answers 503 and spends nothing.</summary>
    public bool OAuthDown { get; set; }
    /// <summary>Runs after a pair is issued (the old refresh token already spent) and before the answer is written.</summary>
    public Func<Task>? AfterIssuing { get; set; }

    public string? CurrentAccessToken { get { lock (_gate) { return _accessToken; } } }

    public IReadOnlyList<FakeOaRequest> Requests { get { lock (_gate) { return _requests.ToArray(); } } }

    public IEnumerable<FakeOaRequest> Sends => Requests.Where(r => r.IsCs || r.IsGroup);

    public IEnumerable<FakeOaRequest> Refreshes => Requests.Where(r => r.IsRefresh);

    /// <summary>Every token and secret this fake knows or issued: none may appear in a log line.</summary>
    public IReadOnlyList<string> Secrets
    {
        get { lock (_gate) { return [AppSecret, SecretKey, .. _issuedSecrets]; } }
    }

    public static async Task<FakeZaloOa> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(3));
        var app = builder.Build();
        var fake = new FakeZaloOa(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        fake.BaseUrl = app.Urls.First().TrimEnd('/');
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- what tests arrange

    /// <summary>A person whose profile the OA may read (<c>v3.0/oa/user/detail</c>); others answer -213, as a non-follower would.</summary>
    public void AddProfile(string userId, string displayName)
    {
        lock (_gate) { _profiles[userId] = displayName; }
    }

    /// <summary>An OA admin grants the app access: a new refresh token, as the developer console shows it.</summary>
    public string Authorize()
    {
        lock (_gate)
        {
            var token = NewSecret("RT");
            _liveRefreshTokens.Add(token);
            return token;
        }
    }

    /// <summary>The OA withdraws the app's access: every refresh token issued so far is refused from now on.</summary>
    public void RevokeRefreshTokens() { lock (_gate) { _liveRefreshTokens.Clear(); } }

    /// <summary>Every send to this person fails with the error (e.g. -230: outside the 7-day window).</summary>
    public void MakeUnreachable(string userId, int error = -230) { lock (_gate) { _unreachable[userId] = error; } }

    /// <summary>The next sends fail with this error, whatever the token.</summary>
    public void FailNextSends(int error, string message, int count = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < count; i++) _sendFailures.Enqueue((error, message));
        }
    }

    /// <summary>The next send whose body matches fails with this error (once).</summary>
    public void FailNextSendWhere(Func<JsonObject, bool> when, int error, string message)
    {
        lock (_gate) { _sendFailuresWhere.Add((when, error, message)); }
    }

    /// <summary>The current access token stops working now (as when it expires or another pair is issued).</summary>
    public void ExpireAccessToken() { lock (_gate) { _accessExpiresAt = DateTimeOffset.MinValue; } }

    // ---------------------------------------------------------------- webhooks, as Zalo posts them

    public string NewMsgId() { lock (_gate) { return FormattableString.Invariant($"msg{_nextMsgId++:D6}a5f0c3"); } }

    public string UserSends(string userId, string type, string? text, string? msgId = null, string? quoteMsgId = null, string? attachmentUrl = null) =>
        Event($"user_send_{type}", userId, OaId, text, msgId, quoteMsgId, attachmentUrl, type);

    public string UserSendsInGroup(string groupId, string userId, string type, string? text, string? msgId = null, string? attachmentUrl = null) =>
        Event($"user_send_group_{type}", userId, groupId, text, msgId, null, attachmentUrl, type);

    private string Event(string name, string sender, string recipient, string? text, string? msgId, string? quote, string? url, string type)
    {
        var message = new JsonObject { ["msg_id"] = msgId ?? NewMsgId() };
        if (text is not null) message["text"] = text;
        if (quote is not null) message["quote_msg_id"] = quote;
        if (url is not null)
        {
            message["attachments"] = new JsonArray(new JsonObject { ["type"] = type, ["payload"] = new JsonObject { ["thumbnail"] = url, ["url"] = url } });
        }
        return new JsonObject
        {
            ["app_id"] = AppId,
            ["sender"] = new JsonObject { ["id"] = sender },
            ["user_id_by_app"] = "552177279717587730",
            ["recipient"] = new JsonObject { ["id"] = recipient },
            ["event_name"] = name,
            ["message"] = message,
            ["timestamp"] = Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        }.ToJsonString(Unescaped);
    }

    // Zalo sends Vietnamese as UTF-8, not \u escapes: the signature then covers multi-byte characters.
    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Zalo's signature: mac= + hex SHA-256 of app id + raw body + the body's timestamp + the OA secret key.</summary>
    public static string Sign(string body, string secretKey = SecretKey)
    {
        string timestamp;
        try
        {
            timestamp = JsonNode.Parse(body)?["timestamp"]?.GetValue<string>() ?? "";
        }
        catch (System.Text.Json.JsonException)
        {
            timestamp = "";
        }
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(AppId + body + timestamp + secretKey));
        return "mac=" + Convert.ToHexString(hash).ToLowerInvariant();
    }

    public static async Task<HttpResponseMessage> PostWebhookAsync(HttpClient helpBot, string body, string? signature = "sign")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/zalo-oa") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("X-ZEvent-Signature", signature == "sign" ? Sign(body) : signature);
        }
        return await helpBot.SendAsync(request).ConfigureAwait(false);
    }

    // ---------------------------------------------------------------- waiting

    public Task<FakeOaRequest> WaitForAsync(Func<FakeOaRequest, bool> predicate, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Requests.FirstOrDefault(predicate), timeout, "No matching request arrived");

    public Task<IReadOnlyList<FakeOaRequest>> WaitForCountAsync(Func<FakeOaRequest, bool> predicate, int count, TimeSpan? timeout = null) =>
        WaitUntilAsync(() => Requests.Where(predicate).ToList() is var all && all.Count >= count ? (IReadOnlyList<FakeOaRequest>)all : null,
            timeout, $"Fewer than {count} matching requests arrived");

    private async Task<T> WaitUntilAsync<T>(Func<T?> check, TimeSpan? timeout, string headline) where T : class
    {
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_gate) { changed = _changed.Task; }
            if (check() is T value) return value;
            var remaining = limit - stopwatch.Elapsed;
            if (remaining <= TimeSpan.Zero)
            {
                throw new TimeoutException($"{headline} within {limit.TotalSeconds:0.#} s. Requests:\n  {string.Join("\n  ", Requests.TakeLast(20))}");
            }
            await changed.WaitAsync(remaining).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    // ---------------------------------------------------------------- HTTP

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path == "/v4/oa/access_token" && context.Request.Method == "POST")
        {
            await RefreshAsync(context).ConfigureAwait(false);
            return;
        }
        if (path == "/v3.0/oa/user/detail" && context.Request.Method == "GET")
        {
            await ProfileAsync(context).ConfigureAwait(false);
            return;
        }
        if (path is not ("/v3.0/oa/message/cs" or "/v3.0/oa/group/message") || context.Request.Method != "POST")
        {
            context.Response.StatusCode = 404;
            return;
        }
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = JsonNode.Parse(await reader.ReadToEndAsync().ConfigureAwait(false)) as JsonObject ?? [];
        var token = context.Request.Headers["access_token"].ToString();
        JsonObject answer;
        lock (_gate)
        {
            var (error, message) = Judge(path, token, body);
            string? messageId = null;
            if (error == 0)
            {
                messageId = FormattableString.Invariant($"oa{_nextMessage++:D6}f3c9");
                var data = new JsonObject { ["message_id"] = messageId };
                if (path.EndsWith("cs", StringComparison.Ordinal))
                {
                    data["user_id"] = body["recipient"]?["user_id"]?.DeepClone();
                    data["sent_time"] = Clock.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                }
                answer = new JsonObject { ["data"] = data, ["error"] = 0, ["message"] = "Success" };
            }
            else
            {
                answer = new JsonObject { ["error"] = error, ["message"] = message };
            }
            Record(new FakeOaRequest(_nextSequence++, Clock.GetUtcNow(), path, token, body, new Dictionary<string, string>(), null, error, messageId, null));
        }
        await WriteJsonAsync(context, 200, answer).ConfigureAwait(false);
    }

    private async Task ProfileAsync(HttpContext context)
    {
        var token = context.Request.Headers["access_token"].ToString();
        var userId = JsonNode.Parse(context.Request.Query["data"].ToString())?["user_id"]?.GetValue<string>() ?? "";
        JsonObject answer;
        lock (_gate)
        {
            var valid = !string.IsNullOrEmpty(token) && token == _accessToken && Clock.GetUtcNow() < _accessExpiresAt;
            answer = !valid ? new JsonObject { ["error"] = -216, ["message"] = "Access token is invalid" }
                : _profiles.TryGetValue(userId, out var name)
                    ? new JsonObject
                    {
                        ["data"] = new JsonObject { ["user_id"] = userId, ["display_name"] = name, ["user_is_follower"] = true },
                        ["error"] = 0,
                        ["message"] = "Success",
                    }
                    : new JsonObject { ["error"] = -213, ["message"] = "User has not followed the OA" };
            Record(new FakeOaRequest(_nextSequence++, Clock.GetUtcNow(), "/v3.0/oa/user/detail", token, new JsonObject { ["user_id"] = userId },
                new Dictionary<string, string>(), null, answer["error"]!.GetValue<int>(), null, null));
        }
        await WriteJsonAsync(context, 200, answer).ConfigureAwait(false);
    }

    private (int Error, string Message) Judge(string path, string token, JsonObject body)
    {
        if (string.IsNullOrEmpty(token) || token != _accessToken)
            return (-216, "Access token is invalid");
        if (Clock.GetUtcNow() >= _accessExpiresAt)
            return (-216, "Access token is invalid");
        if (_sendFailures.TryDequeue(out var failure))
            return failure;
        if (_sendFailuresWhere.FindIndex(f => f.When(body)) is >= 0 and var at)
        {
            var (_, code, words) = _sendFailuresWhere[at];
            _sendFailuresWhere.RemoveAt(at);
            return (code, words);
        }
        var text = body["message"]?["text"]?.GetValue<string>();
        if (text is { Length: > 2000 })
            return (-201, "message.text is invalid!");
        if (path.EndsWith("cs", StringComparison.Ordinal))
        {
            var user = body["recipient"]?["user_id"]?.GetValue<string>();
            if (string.IsNullOrEmpty(user)) return (-201, "recipient is invalid!");
            if (_unreachable.TryGetValue(user, out var error)) return (error, "User has not interacted with the OA in the past 7 days");
        }
        else if (string.IsNullOrEmpty(body["recipient"]?["group_id"]?.GetValue<string>()))
        {
            return (-201, "group_id is invalid!");
        }
        if (string.IsNullOrEmpty(text) && body["message"]?["attachment"] is null)
            return (-201, "message is invalid!");
        return (0, "Success");
    }

    private async Task RefreshAsync(HttpContext context)
    {
        var form = (await context.Request.ReadFormAsync().ConfigureAwait(false)).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        var secret = context.Request.Headers["secret_key"].ToString();
        if (OAuthDown)
        {
            lock (_gate) { Record(new FakeOaRequest(_nextSequence++, Clock.GetUtcNow(), "/v4/oa/access_token", null, [], form, secret, 503, null, null)); }
            context.Response.StatusCode = 503;
            return;
        }
        JsonObject answer;
        string? issued = null;
        lock (_gate)
        {
            var refresh = form.GetValueOrDefault("refresh_token") ?? "";
            if (secret != AppSecret || form.GetValueOrDefault("app_id") != AppId || form.GetValueOrDefault("grant_type") != "refresh_token")
            {
                answer = new JsonObject { ["error"] = -14002, ["error_name"] = "Invalid parameter", ["error_description"] = "app_id or secret_key is invalid" };
            }
            else if (_spentRefreshTokens.Contains(refresh))
            {
                answer = new JsonObject { ["error"] = -14020, ["error_name"] = "Invalid refresh token", ["error_description"] = "Refresh token has been used" };
            }
            else if (!_liveRefreshTokens.Remove(refresh))
            {
                answer = new JsonObject { ["error"] = -14014, ["error_name"] = "Invalid refresh token", ["error_description"] = "Refresh token is invalid" };
            }
            else
            {
                _spentRefreshTokens.Add(refresh);
                var next = NewSecret("RT");
                _liveRefreshTokens.Add(next);
                // A new pair retires the access token before it.
                issued = _accessToken = NewSecret("AT");
                _accessExpiresAt = Clock.GetUtcNow() + AccessTokenLifetime;
                var seconds = (long)AccessTokenLifetime.TotalSeconds;
                answer = new JsonObject
                {
                    ["access_token"] = issued,
                    ["refresh_token"] = next,
                    ["expires_in"] = ExpiresInAsNumber ? JsonValue.Create(seconds) : JsonValue.Create(seconds.ToString(CultureInfo.InvariantCulture)),
                };
            }
            var error = answer["error"]?.GetValue<int>() ?? 0;
            Record(new FakeOaRequest(_nextSequence++, Clock.GetUtcNow(), "/v4/oa/access_token", null, [], form, secret, error, null, issued));
        }
        if (issued is not null && AfterIssuing is { } hook)
        {
            await hook().ConfigureAwait(false);
        }
        await WriteJsonAsync(context, 200, answer).ConfigureAwait(false);
    }

    private void Record(FakeOaRequest request)
    {
        _requests.Add(request);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
    }

    private string NewSecret(string prefix)
    {
        var secret = FormattableString.Invariant($"{prefix}-{_nextToken++:D4}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}");
        _issuedSecrets.Add(secret);
        return secret;
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString()).ConfigureAwait(false);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
