using Microsoft.Extensions.Options;

namespace HelpBot.Channels.ZaloOa;

/// <summary>The <c>HelpBot:Zalo:OA</c> section: a Zalo Official Account, through the app that it has authorised.</summary>
public sealed class ZaloOaOptions
{
    public const string Section = "HelpBot:Zalo:OA";

    /// <summary>The app's id (Zalo for Developers → the app → App ID).</summary>
    public string? AppId { get; set; }

    /// <summary>The OA secret key from the app's Webhook page: it signs every webhook call. A secret.</summary>
    public string? SecretKey { get; set; }

    /// <summary>The app's secret key, sent when renewing tokens. A secret; not the same as <see cref="SecretKey"/>.</summary>
    public string? AppSecret { get; set; }

    public string ApiBaseUrl { get; set; } = "https://openapi.zalo.me";

    public string OAuthBaseUrl { get; set; } = "https://oauth.zaloapp.com";

    /// <summary>
    /// A refresh token from authorising the app. Taken once: when the database holds no token, or when this value
    /// is one HelpBot has never seen (a new one pasted after the chain broke). A secret.
    /// </summary>
    public string? RefreshToken { get; set; }

    /// <summary>
    /// The OA's id (the OA's profile page). When set, a person's message to any other OA the app is linked to is not
    /// taken as a question to this help desk (its answers could not be sent from this OA anyway).
    /// </summary>
    public string? OaId { get; set; }

    /// <summary>The OA's group chats (GMF) the help desk serves. Private chats with the OA are always served.</summary>
    public List<string> SupportGroupIds { get; set; } = [];

    /// <summary>The response team's group on Zalo, when the staff chat is here.</summary>
    public string? StaffGroupId { get; set; }

    /// <summary>
    /// Zalo documents 4,000 Open API calls a minute per app (windows reset each minute) and no per-user or per-group
    /// figure; 60 a second stays under that with room for token renewals.
    /// </summary>
    public HelpBot.Outbox.SendLimitOptions Limits { get; set; } = new() { GlobalPerSecond = 60 };
}


/// <summary>Each failure names the key and how to set it, so start-up stops with one clear line.</summary>
public sealed class ZaloOaOptionsValidator : IValidateOptions<ZaloOaOptions>
{
    public ValidateOptionsResult Validate(string? name, ZaloOaOptions o)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(o.AppId))
        {
            failures.Add(Missing("HelpBot:Zalo:OA:AppId", "the App ID of the Zalo app the OA has authorised"));
        }
        else if (!o.AppId.Trim().All(char.IsAsciiDigit))
        {
            failures.Add("HelpBot:Zalo:OA:AppId must be the app's numeric App ID; set HelpBot__Zalo__OA__AppId.");
        }
        if (string.IsNullOrWhiteSpace(o.SecretKey))
        {
            failures.Add(Missing("HelpBot:Zalo:OA:SecretKey", "the OA secret key on the app's Webhook page (it checks the webhook signatures)"));
        }
        if (string.IsNullOrWhiteSpace(o.AppSecret))
        {
            failures.Add(Missing("HelpBot:Zalo:OA:AppSecret", "the app's secret key (Zalo for Developers → the app → Settings), used to renew tokens"));
        }
        if (o.RefreshToken is { Length: > 0 } token && token.Trim().Any(char.IsWhiteSpace))
        {
            failures.Add("HelpBot:Zalo:OA:RefreshToken contains spaces or line breaks: paste the refresh token alone; set HelpBot__Zalo__OA__RefreshToken.");
        }
        if (!IsHttpUrl(o.ApiBaseUrl))
        {
            failures.Add("HelpBot:Zalo:OA:ApiBaseUrl must be an http(s) URL such as https://openapi.zalo.me; set HelpBot__Zalo__OA__ApiBaseUrl.");
        }
        if (!IsHttpUrl(o.OAuthBaseUrl))
        {
            failures.Add("HelpBot:Zalo:OA:OAuthBaseUrl must be an http(s) URL such as https://oauth.zaloapp.com; set HelpBot__Zalo__OA__OAuthBaseUrl.");
        }
        if (o.SupportGroupIds.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("HelpBot:Zalo:OA:SupportGroupIds has an empty entry; each is a group id from the OA's group list.");
        }
        if (!string.IsNullOrWhiteSpace(o.StaffGroupId) && o.SupportGroupIds.Contains(o.StaffGroupId))
        {
            failures.Add("HelpBot:Zalo:OA:SupportGroupIds must not contain the staff group (HelpBot:Zalo:OA:StaffGroupId): citizens would see the team's cards.");
        }
        if (o.Limits.Problem(ZaloOaOptions.Section) is { } limits)
        {
            failures.Add(limits);
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https";

    private static string Missing(string key, string what) =>
        $"{key} is not set: it is {what}. Set the environment variable {key.Replace(":", "__", StringComparison.Ordinal)} or use user-secrets.";
}
