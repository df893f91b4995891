using System.Text.Json;
using Dapper;
using HelpBot.Outbox;
using HelpBot.Storage;

namespace HelpBot.Channels.Sandbox;

/// <summary>A message in one of the sandbox's chats, as the page shows it.</summary>
public sealed record SandboxMessage
{
    public long Id { get; init; }
    public string ChatId { get; init; } = "";
    public string FromId { get; init; } = "";
    public string FromName { get; init; } = "";
    public bool IsBot { get; init; }
    public string Kind { get; init; } = "text";
    public string? Text { get; init; }
    public long? ReplyTo { get; init; }
    public IReadOnlyList<IReadOnlyList<OutboundButton>>? Buttons { get; init; }
    public string? FileName { get; init; }
    public DateTimeOffset SentAt { get; init; }
    public bool Edited { get; init; }
}

/// <summary>The sandbox's chats in SQLite, so a restart keeps the training session's history.</summary>
public sealed class SandboxMessages(Database database, TimeProvider time)
{
    public const int HistoryLimit = 300;

    public async Task<SandboxMessage> AddAsync(SandboxMessage message, byte[]? file = null)
    {
        await using var connection = await database.OpenAsync();
        var now = time.GetUtcNow();
        // Plain ADO.NET: the generated Dapper code would read a byte[] as a list of values, not as one blob.
        await using var insert = connection.CreateCommand();
        insert.CommandText =
            """
            INSERT INTO sandbox_messages (chat_id, from_id, from_name, is_bot, kind, text, reply_to, buttons, file_name, file_content, sent_at)
            VALUES (@chatId, @fromId, @fromName, @isBot, @kind, @text, @replyTo, @buttons, @fileName, @file, @now)
            RETURNING id
            """;
        insert.Parameters.AddWithValue("@chatId", message.ChatId);
        insert.Parameters.AddWithValue("@fromId", message.FromId);
        insert.Parameters.AddWithValue("@fromName", message.FromName);
        insert.Parameters.AddWithValue("@isBot", message.IsBot);
        insert.Parameters.AddWithValue("@kind", message.Kind);
        insert.Parameters.AddWithValue("@text", (object?)message.Text ?? DBNull.Value);
        insert.Parameters.AddWithValue("@replyTo", (object?)message.ReplyTo ?? DBNull.Value);
        insert.Parameters.AddWithValue("@buttons", (object?)ButtonsJson(message.Buttons) ?? DBNull.Value);
        insert.Parameters.AddWithValue("@fileName", (object?)message.FileName ?? DBNull.Value);
        insert.Parameters.AddWithValue("@file", (object?)file ?? DBNull.Value);
        insert.Parameters.AddWithValue("@now", now.Ms());
        var id = (long)(await insert.ExecuteScalarAsync())!;
        return message with { Id = id, SentAt = now };
    }

    public async Task<SandboxMessage?> GetAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<Row>($"{Select} WHERE id = @id", new { id });
        return row?.ToMessage();
    }

    public async Task<SandboxMessage?> EditAsync(long id, string chatId, string? text, IReadOnlyList<IReadOnlyList<OutboundButton>>? buttons, bool buttonsOnly)
    {
        await using var connection = await database.OpenAsync();
        var changed = await connection.ExecuteAsync(
            """
            UPDATE sandbox_messages
            SET text = CASE WHEN @buttonsOnly THEN text ELSE @text END, buttons = @buttons, edited_at = @now
            WHERE id = @id AND chat_id = @chatId AND is_bot = 1
            """,
            new { id, chatId, text, buttons = ButtonsJson(buttons), buttonsOnly, now = time.GetUtcNow().Ms() });
        return changed == 0 ? null : await GetAsync(id);
    }

    public async Task<(string FileName, byte[] Content)?> FileAsync(long id)
    {
        await using var connection = await database.OpenAsync();
        var row = await connection.QuerySingleOrDefaultAsync<StoredFile>(
            "SELECT file_name AS FileName, file_content AS Content FROM sandbox_messages WHERE id = @id AND file_content IS NOT NULL", new { id });
        return row is null ? null : (row.FileName, row.Content);
    }

    public async Task<IReadOnlyList<SandboxMessage>> RecentAsync(string chatId)
    {
        await using var connection = await database.OpenAsync();
        var rows = await connection.QueryAsync<Row>(
            $"SELECT * FROM ({Select} WHERE chat_id = @chatId ORDER BY id DESC LIMIT @limit) ORDER BY id",
            new { chatId, limit = HistoryLimit });
        return rows.Select(r => r.ToMessage()).ToList();
    }

    public async Task<IReadOnlyList<string>> PrivateChatsAsync()
    {
        await using var connection = await database.OpenAsync();
        return (await connection.QueryAsync<string>(
            "SELECT DISTINCT chat_id FROM sandbox_messages WHERE chat_id LIKE 'dm:%' ORDER BY chat_id")).AsList();
    }

    private const string Select =
        """
        SELECT id AS Id, chat_id AS ChatId, from_id AS FromId, from_name AS FromName, is_bot AS IsBot, kind AS Kind,
               text AS Text, reply_to AS ReplyTo, buttons AS Buttons, file_name AS FileName, sent_at AS SentAt,
               edited_at AS EditedAt
        FROM sandbox_messages
        """;

    private static string? ButtonsJson(IReadOnlyList<IReadOnlyList<OutboundButton>>? buttons) =>
        buttons is null || buttons.Count == 0 ? null : JsonSerializer.Serialize(buttons, SandboxJson.Default.IReadOnlyListIReadOnlyListOutboundButton);

    internal sealed record StoredFile(string FileName, byte[] Content);

    internal sealed class Row
    {
        public long Id { get; set; }
        public string ChatId { get; set; } = "";
        public string FromId { get; set; } = "";
        public string FromName { get; set; } = "";
        public bool IsBot { get; set; }
        public string Kind { get; set; } = "";
        public string? Text { get; set; }
        public long? ReplyTo { get; set; }
        public string? Buttons { get; set; }
        public string? FileName { get; set; }
        public long SentAt { get; set; }
        public long? EditedAt { get; set; }

        public SandboxMessage ToMessage() => new()
        {
            Id = Id, ChatId = ChatId, FromId = FromId, FromName = FromName, IsBot = IsBot, Kind = Kind, Text = Text, ReplyTo = ReplyTo,
            Buttons = Buttons is null ? null : JsonSerializer.Deserialize(Buttons, SandboxJson.Default.ListListOutboundButton),
            FileName = FileName, SentAt = DateTimeOffset.FromUnixTimeMilliseconds(SentAt), Edited = EditedAt is not null,
        };
    }
}
