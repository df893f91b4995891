using System.Text.Json.Serialization;

namespace HelpBot.Channels.ZaloOa;

/// <summary>A consultation (<c>message/cs</c>) or group (<c>group/message</c>) send.</summary>
public sealed record ZaloOaSendRequest(ZaloOaRecipient Recipient, ZaloOaOutMessage Message);

public sealed record ZaloOaRecipient(string? UserId = null, string? GroupId = null);

public sealed record ZaloOaOutMessage(string? Text, string? QuoteMessageId = null, ZaloOaAttachment? Attachment = null);

/// <summary>A media template: a photo by its public address.</summary>
public sealed record ZaloOaAttachment(string Type, ZaloOaAttachmentPayload Payload);

public sealed record ZaloOaAttachmentPayload(string TemplateType, IReadOnlyList<ZaloOaMediaElement> Elements);

public sealed record ZaloOaMediaElement(string MediaType, string Url);

/// <summary>Every Open API answer: <c>error</c> 0 is success, failures come back with HTTP 200 too.</summary>
public sealed record ZaloOaEnvelope(int? Error, string? Message, ZaloOaSendData? Data);

public sealed record ZaloOaSendData(string? MessageId);

/// <summary>The answer of <c>v3.0/oa/user/detail</c>: the person's Zalo display name, among much HelpBot does not keep.</summary>
public sealed record ZaloOaProfileEnvelope(int? Error, string? Message, ZaloOaProfileData? Data);

public sealed record ZaloOaProfileData(string? DisplayName);

/// <summary>The OAuth v4 answer: a new pair, or one of several undocumented error shapes.</summary>
public sealed record ZaloOaTokenResponse(
    string? AccessToken,
    string? RefreshToken,
    long? ExpiresIn,
    int? Error,
    string? ErrorName,
    string? ErrorReason,
    string? ErrorDescription,
    string? Message);

// expires_in (and error) arrive as strings in the documentation's example and as numbers elsewhere: accept both.
[JsonSerializable(typeof(ZaloOaSendRequest))]
[JsonSerializable(typeof(ZaloOaEnvelope))]
[JsonSerializable(typeof(ZaloOaProfileEnvelope))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ZaloOaTokenResponse))]
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
internal sealed partial class ZaloOaJson : JsonSerializerContext;
