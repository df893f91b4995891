using System.Text.Json;
using System.Text.Json.Serialization;
using global::Telegram.Bot.Requests;

namespace HelpBot.Channels.Telegram;

/// <summary>
/// getUpdates returning the updates as raw JSON, so that one update the library cannot read is skipped
/// on its own instead of failing the whole batch forever (its offset would never advance).
/// </summary>
internal sealed class RawUpdatesRequest() : RequestBase<JsonElement[]>("getUpdates")
{
    [JsonPropertyName("offset")]
    public int? Offset { get; set; }

    [JsonPropertyName("limit")]
    public int? Limit { get; set; }

    [JsonPropertyName("timeout")]
    public int? Timeout { get; set; }

    [JsonPropertyName("allowed_updates")]
    public IReadOnlyList<string>? AllowedUpdates { get; set; }
}
