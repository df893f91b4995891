using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelpBot.Channels.ZaloBot;

/// <summary>Every answer: <c>{"ok":true,"result":...}</c> or <c>{"ok":false,"error_code":408,"description":"Request timeout"}</c>.</summary>
internal sealed record ZaloEnvelope(bool Ok, JsonElement Result, int? ErrorCode, string? Description);

/// <summary>One update: the event and its message. All ids are strings; <c>date</c> is unix milliseconds.</summary>
internal sealed record ZaloUpdate(string? EventName, ZaloMessage? Message);

internal sealed record ZaloMessage(
    ZaloUser? From,
    ZaloChat? Chat,
    string? MessageId,
    long? Date,
    string? Text,
    string? Caption,
    // The docs say "photo"; real payloads carry "photo_url".
    string? PhotoUrl,
    string? Photo,
    string? Sticker,
    string? Url,
    string? VoiceUrl,
    string? MessageType);

internal sealed record ZaloUser(string? Id, string? DisplayName, string? FirstName, bool IsBot);

internal sealed record ZaloChat(string? Id, string? ChatType);

/// <summary>getMe's result.</summary>
internal sealed record ZaloBotInfo(string? Id, string? AccountName, string? DisplayName, string? AccountType);

/// <summary>sendMessage's and sendPhoto's result.</summary>
internal sealed record ZaloSent(string? MessageId, long? Date);

internal sealed record ZaloSendMessage(string ChatId, string Text);

internal sealed record ZaloSendPhoto(string ChatId, string Photo, string? Caption);

internal sealed record ZaloChatAction(string ChatId, string Action);

internal sealed record ZaloSetWebhook(string Url, string SecretToken);

internal sealed record ZaloGetUpdates(int Timeout);

internal sealed record ZaloEmpty;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    // error_code and date have been seen as strings as well as numbers.
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(ZaloEnvelope))]
[JsonSerializable(typeof(ZaloUpdate))]
[JsonSerializable(typeof(ZaloBotInfo))]
[JsonSerializable(typeof(ZaloSent))]
[JsonSerializable(typeof(ZaloSendMessage))]
[JsonSerializable(typeof(ZaloSendPhoto))]
[JsonSerializable(typeof(ZaloChatAction))]
[JsonSerializable(typeof(ZaloSetWebhook))]
[JsonSerializable(typeof(ZaloGetUpdates))]
[JsonSerializable(typeof(ZaloEmpty))]
internal sealed partial class ZaloBotJson : JsonSerializerContext;
