using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace HelpBot.Benchmarks.E2e;

/// <summary>
/// The few fields of a Bot API call the fake needs, read in one forward pass with <see cref="Utf8JsonReader"/>:
/// no DOM, and texts kept as their raw (still JSON-escaped) bytes so they can be echoed without re-encoding.
/// </summary>
public sealed class BotRequest
{
    public long? ChatId { get; private set; }
    public int? MessageId { get; private set; }
    /// <summary>The text's JSON string content, escaped as the bot sent it, without the quotes.</summary>
    public byte[]? RawText { get; private set; }
    /// <summary>reply_parameters.message_id (or the older reply_to_message_id).</summary>
    public int? ReplyToMessageId { get; private set; }
    /// <summary>The first inline button's callback_data, e.g. "claim:12" on a card, "solved:12" on an answer.</summary>
    public string? CallbackData { get; private set; }
    public long? Offset { get; private set; }
    public int? Limit { get; private set; }
    public int? Timeout { get; private set; }
    /// <summary>getUpdates' allowed_updates, when the bot names them.</summary>
    public IReadOnlyList<string>? AllowedUpdates { get; private set; }

    public static BotRequest Parse(ReadOnlySequence<byte> body)
    {
        var request = new BotRequest();
        if (body.IsEmpty)
        {
            return request;
        }
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A Bot API body must be a JSON object.");
        }
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("chat_id"u8))
            {
                reader.Read();
                request.ChatId = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("text"u8))
            {
                reader.Read();
                request.RawText = reader.TokenType == JsonTokenType.String ? RawBytes(ref reader) : null;
            }
            else if (reader.ValueTextEquals("message_id"u8))
            {
                reader.Read();
                request.MessageId = (int?)ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("reply_parameters"u8))
            {
                reader.Read();
                request.ReplyToMessageId = NestedMessageId(ref reader);
            }
            else if (reader.ValueTextEquals("reply_to_message_id"u8))
            {
                reader.Read();
                request.ReplyToMessageId = (int?)ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("reply_markup"u8))
            {
                reader.Read();
                request.CallbackData = FirstCallbackData(ref reader);
            }
            else if (reader.ValueTextEquals("offset"u8))
            {
                reader.Read();
                request.Offset = ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("limit"u8))
            {
                reader.Read();
                request.Limit = (int?)ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("timeout"u8))
            {
                reader.Read();
                request.Timeout = (int?)ReadLong(ref reader);
            }
            else if (reader.ValueTextEquals("allowed_updates"u8))
            {
                reader.Read();
                request.AllowedUpdates = Strings(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return request;
    }

    /// <summary>Form fields of a multipart call (sendDocument); only chat_id matters here.</summary>
    public static BotRequest FromForm(string? chatId) =>
        new() { ChatId = long.TryParse(chatId, System.Globalization.CultureInfo.InvariantCulture, out var id) ? id : null };

    private static long? ReadLong(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.GetInt64();
            case JsonTokenType.String:
                var span = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan;
                return Utf8Parser.TryParse(span, out long value, out var consumed) && consumed == span.Length ? value : null;
            default:
                reader.Skip();
                return null;
        }
    }

    private static List<string>? Strings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                values.Add(reader.GetString()!);
            }
        }
        return values;
    }

    private static byte[] RawBytes(ref Utf8JsonReader reader) =>
        reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();

    private static int? NestedMessageId(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        int? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("message_id"u8);
            reader.Read();
            if (isId)
            {
                id = (int?)ReadLong(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return id;
    }

    private static string? FirstCallbackData(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.StartArray))
        {
            reader.Skip();
            return null;
        }
        var depth = reader.CurrentDepth;
        string? data = null;
        while (reader.Read() && !(reader.CurrentDepth == depth && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray))
        {
            if (data is null && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("callback_data"u8))
            {
                reader.Read();
                data = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
        }
        return data;
    }
}
